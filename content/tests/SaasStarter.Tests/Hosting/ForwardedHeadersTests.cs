using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using SaasStarter.Tests.Accounts;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Behind a TLS proxy (<c>ForwardedHeaders:Enabled=true</c>, the proxy in <c>KnownProxies</c>) a request the proxy
/// forwards as HTTPS is HTTPS to the app: HSTS, Secure cookies, no redirect loop. From any other source, or without the
/// setting, anyone's <c>X-Forwarded-Proto</c> is ignored. Neither way does <c>X-Forwarded-Host</c> reach an emailed link.
/// HTTPS_PORT is set so a plain HTTP request visibly redirects. Each request comes from a set address (the in-memory
/// server has none of its own, and the framework would believe the first forwarded value from a source it cannot see):
/// the proxy's, which turns the visitor's HTTPS request into plain HTTP to the app, or a client's that reaches the app
/// past it.
/// </summary>
public sealed class ForwardedHeadersTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task Behind_a_proxy_a_request_forwarded_as_https_is_served_as_https()
    {
        using var session = ThroughProxy(App(forwarding: true), ProductionApp.Http);

        var page = await session.GetAsync(AccountFlows.LoginPath);

        Assert.True(page.Status == HttpStatusCode.OK, $"Answered {(int)page.Status} {page.Response.Headers.Location}");
        Assert.Contains("max-age=31536000", ProductionHostingTests.Hsts(page.Response) ?? "(no HSTS header)");
    }

    [Fact]
    public async Task Behind_a_proxy_sign_in_forwarded_as_https_sets_a_Secure_auth_cookie()
    {
        var email = AccountFlows.UniqueEmail("forwarded-cookie");
        var app = App(forwarding: true);
        await app.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = ThroughProxy(app, ProductionApp.Http);

        var response = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(SignInTests.IsSignedIn(response), $"Sign-in answered {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Contains("secure", ProductionHostingTests.Attributes(ProductionHostingTests.AuthCookie(response)));
    }

    [Fact]
    public async Task Without_forwarding_enabled_X_Forwarded_Proto_is_ignored()
    {
        using var session = ThroughProxy(App(forwarding: false), ProductionApp.Http);

        await AssertServedAsHttpAsync(session);
    }

    [Fact]
    public async Task From_a_source_that_is_not_a_known_proxy_X_Forwarded_Proto_is_ignored()
    {
        using var session = Direct(App(forwarding: true), ProductionApp.Http, ("X-Forwarded-Proto", "https"));

        await AssertServedAsHttpAsync(session);
    }

    /// <summary>When the proxy is the only way in, every source may be trusted, but only when the settings say so outright.</summary>
    [Fact]
    public async Task Networks_that_hold_every_address_trust_every_source_and_start_up_warns_of_it()
    {
        var log = new CapturedLog();
        var app = factory.InProduction(new Dictionary<string, string>
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownNetworks:0"] = "0.0.0.0/0",
            ["ForwardedHeaders:KnownNetworks:1"] = "::/0",
            ["HTTPS_PORT"] = "443",
        }).WithWebHostBuilder(web => web.ConfigureTestServices(log.AddTo));
        using var session = Direct(app, ProductionApp.Http, ("X-Forwarded-Proto", "https"));

        var page = await session.GetAsync(AccountFlows.LoginPath);

        Assert.True(page.Status == HttpStatusCode.OK, $"Answered {(int)page.Status} {page.Response.Headers.Location}");
        var warning = Assert.Single(log.Entries, e => e.Category == "SaasStarter.ForwardedHeaders");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("0.0.0.0/0, ::/0", warning.Message);
        Assert.Contains("every source is trusted", warning.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task X_Forwarded_Host_never_changes_an_emailed_link(bool forwarding)
    {
        var app = App(forwarding);
        var email = AccountFlows.UniqueEmail("forwarded-host");
        // The app under its container name, not its public one, so only App:PublicUrl can put that in a link.
        // Without forwarding, plain HTTP would only be redirected: that visitor comes over HTTPS itself.
        using var session = forwarding
            ? ThroughProxy(app, new Uri("http://saasstarter:8080"), ("X-Forwarded-Host", "evil.example"))
            : Direct(app, new Uri("https://saasstarter"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"));

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(WebSession.IsRedirect(registered.StatusCode), $"Register answered {(int)registered.StatusCode}");
        Assert.DoesNotContain("evil.example", registered.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        var message = Assert.Single(await app.OutboxEmailsToAsync(email));
        var link = AccountFlows.EmailLink(app.BodyOf(message));
        Assert.StartsWith(ProductionApp.PublicUrl + "/Identity/Account/ConfirmEmail?", link.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The proxy, as <c>ForwardedHeaders:KnownProxies</c> names it, and a client that reaches the app past it.</summary>
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.5");

    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.7");

    private static async Task AssertServedAsHttpAsync(WebSession session)
    {
        var response = await session.Client.GetAsync(AccountFlows.LoginPath);

        Assert.True(WebSession.IsRedirect(response.StatusCode), $"A forged X-Forwarded-Proto was believed: {(int)response.StatusCode}");
        Assert.Equal(Uri.UriSchemeHttps, response.Headers.Location?.Scheme);
        Assert.Null(ProductionHostingTests.Hsts(response));
    }

    private WebApplicationFactory<Program> App(bool forwarding) =>
        factory.InProduction(new Dictionary<string, string>
        {
            ["ForwardedHeaders:Enabled"] = forwarding ? "true" : "false",
            ["ForwardedHeaders:KnownProxies:0"] = Proxy.ToString(),
            ["HTTPS_PORT"] = "443",
        });

    /// <summary>
    /// A visitor that keeps cookies and does not follow redirects, at https://<paramref name="app"/>'s host, through the
    /// proxy: it passes each request on to <paramref name="upstream"/> over plain HTTP, adding X-Forwarded-Proto.
    /// </summary>
    private static WebSession ThroughProxy(WebApplicationFactory<Program> app, Uri upstream, params (string Name, string Value)[] headers)
    {
        var proxy = new TlsProxy(upstream) { InnerHandler = Connection(app, Proxy) };
        var session = new WebSession(new HttpClient(new CookieContainerHandler { InnerHandler = proxy })
        {
            BaseAddress = new UriBuilder(upstream) { Scheme = Uri.UriSchemeHttps, Port = -1 }.Uri,
        });
        foreach (var (name, value) in headers) session.Client.DefaultRequestHeaders.Add(name, value);
        return session;
    }

    /// <summary>A client that reaches the app past the proxy, at <paramref name="baseAddress"/>, with headers of its own making.</summary>
    private static WebSession Direct(WebApplicationFactory<Program> app, Uri baseAddress, params (string Name, string Value)[] headers)
    {
        var session = new WebSession(new HttpClient(new CookieContainerHandler { InnerHandler = Connection(app, Client) }) { BaseAddress = baseAddress });
        foreach (var (name, value) in headers) session.Client.DefaultRequestHeaders.Add(name, value);
        return session;
    }

    private static HttpMessageHandler Connection(WebApplicationFactory<Program> app, IPAddress source) =>
        app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = source);

    /// <summary>
    /// What a TLS proxy does to a request: the same path to the app over plain HTTP, saying it came as HTTPS. The visitor
    /// still sees the address it asked for (its cookie jar and its links go by that).
    /// </summary>
    private sealed class TlsProxy(Uri upstream) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var asked = request.RequestUri!;
            request.RequestUri = new Uri(upstream, asked.PathAndQuery);
            request.Headers.Add("X-Forwarded-Proto", "https");
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                request.RequestUri = asked;
            }
        }
    }
}
