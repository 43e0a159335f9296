using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Tests.Accounts;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Outside Development the app insists on HTTPS: HSTS on every HTTPS answer, plain HTTP redirected once the HTTPS port
/// is known, and the sign-in and antiforgery cookies only ever sent back over HTTPS. The developer's outbox does not
/// exist there, and an error shows the friendly page, never the exception.
/// </summary>
public sealed class ProductionHostingTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    private const string LoginPath = AccountFlows.LoginPath;

    [Fact]
    public async Task Https_answers_carry_a_one_year_HSTS_header_including_subdomains()
    {
        using var session = factory.InProduction().CreateSessionAt(ProductionApp.Https);

        var page = await session.GetAsync(LoginPath);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var hsts = Hsts(page.Response);
        Assert.True(hsts is not null, "No Strict-Transport-Security on an HTTPS answer");
        Assert.Contains("max-age=31536000", hsts);
        Assert.Contains("includeSubDomains", hsts);
    }

    /// <summary>
    /// The in-memory server has no HTTPS address to take the port from, so the port comes from the standard setting
    /// (<c>HTTPS_PORT</c>), as it must for Kestrel serving plain HTTP only; without it the app serves HTTP as is.
    /// </summary>
    [Fact]
    public async Task Http_requests_are_redirected_to_https_once_the_https_port_is_known()
    {
        var app = factory.InProduction(new Dictionary<string, string> { ["HTTPS_PORT"] = "443" });
        using var session = app.CreateSessionAt(ProductionApp.Http);

        var response = await session.Client.GetAsync(LoginPath + "?returnUrl=%2Fdashboard");

        Assert.True(WebSession.IsRedirect(response.StatusCode), $"HTTP answered {(int)response.StatusCode}, not a redirect");
        Assert.Equal(new Uri(ProductionApp.Https, LoginPath + "?returnUrl=%2Fdashboard"), response.Headers.Location);
        Assert.Null(Hsts(response)); // HSTS means nothing over HTTP, and browsers ignore it there
    }

    [Fact]
    public async Task Sign_in_over_https_sets_a_Secure_auth_cookie()
    {
        var app = factory.InProduction();
        var email = AccountFlows.UniqueEmail("prod-cookie");
        await app.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = app.CreateSessionAt(ProductionApp.Https);

        var response = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(SignInTests.IsSignedIn(response), $"Sign-in answered {(int)response.StatusCode} {response.Headers.Location}");
        var cookie = AuthCookie(response);
        Assert.Contains("secure", Attributes(cookie));
        Assert.Contains("httponly", Attributes(cookie));
    }

    /// <summary>Secure when the request came over HTTPS; over plain HTTP (an app without TLS) the forms still work.</summary>
    [Theory]
    [InlineData("https://app.example.test", true)]
    [InlineData("http://app.example.test", false)]
    public async Task The_antiforgery_cookie_is_Secure_over_https(string address, bool secure)
    {
        using var session = factory.InProduction().CreateSessionAt(new Uri(address));

        var page = await session.GetAsync(LoginPath);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var cookie = Cookie(page.Response, ".AspNetCore.Antiforgery.");
        Assert.Equal(secure, Attributes(cookie).Contains("secure"));
        Assert.Contains("httponly", Attributes(cookie));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task The_dev_outbox_does_not_exist_outside_Development(string environment)
    {
        var app = factory.InProduction().WithWebHostBuilder(web => web.UseEnvironment(environment));
        var email = AccountFlows.UniqueEmail("outbox");
        await app.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = app.CreateSessionAt(ProductionApp.Https);
        var forgot = await session.GetAsync("/Identity/Account/ForgotPassword");
        var asked = await session.SubmitAsync(forgot, new Dictionary<string, string> { ["Input.Email"] = email });
        Assert.True(WebSession.IsRedirect(asked.StatusCode), $"ForgotPassword answered {(int)asked.StatusCode}");
        var reset = Assert.Single(await app.OpenedEmailsToAsync(email)); // a reset link waits in the outbox (no SMTP server here)

        var page = await session.GetAsync("/dev/outbox");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain(email, page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AccountFlows.EmailLink(reset.HtmlBody).Query, page.Html, StringComparison.Ordinal);

        // Nor does its Clear button, even with this visitor's valid anti-forgery token.
        var token = forgot.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), "No anti-forgery token on the ForgotPassword page");
        using var clear = await session.Client.PostAsync("/dev/outbox?handler=Clear", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.NotFound, clear.StatusCode);
        Assert.Single(await app.OutboxEmailsToAsync(email));
    }

    [Fact]
    public async Task An_exception_renders_the_error_page_with_a_request_id_and_nothing_of_the_exception()
    {
        var app = factory.InProduction().WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new FailingPath())));
        using var session = app.CreateSessionAt(ProductionApp.Https);

        var page = await session.GetAsync(FailingPath.Path);

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Something went wrong", page.Document.Title ?? "", StringComparison.Ordinal);
        Assert.Matches(@"\S", page.Document.QuerySelector("#request-id")?.TextContent ?? "");
        Assert.DoesNotContain(FailingPath.Detail, page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), page.Html, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackFrame(), page.Html);
    }

    /// <summary>A line of a .NET stack trace ("at Namespace.Type.Method(...)").</summary>
    private static Regex StackFrame() => new(@"\bat [\w.`<>+]+\.[\w<>`]+\(");

    /// <summary>
    /// A request that fails inside the app's pipeline, as a bug in a page would: the app has no such page, so the test
    /// adds a step after the app's own (where requests no endpoint took arrive) that throws for one path.
    /// </summary>
    private sealed class FailingPath : IStartupFilter
    {
        public const string Path = "/test/fails";
        public const string Detail = "secret detail of the failure 7f3a";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, later) => context.Request.Path == Path ? throw new InvalidOperationException(Detail) : later(context));
        };
    }

    internal static string? Hsts(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(", ", values) : null;

    internal static string AuthCookie(HttpResponseMessage response) => Cookie(response, ".SaasStarter.Auth=");

    /// <summary>The one Set-Cookie whose name (and whatever follows) starts with <paramref name="prefix"/>.</summary>
    private static string Cookie(HttpResponseMessage response, string prefix)
    {
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var cookie = cookies.SingleOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal));
        return cookie ?? throw new Xunit.Sdk.XunitException($"No {prefix} cookie in: " + string.Join(" | ", cookies));
    }

    internal static List<string> Attributes(string cookie) =>
        cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
}
