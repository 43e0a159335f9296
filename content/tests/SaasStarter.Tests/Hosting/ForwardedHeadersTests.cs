using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasStarter.Tests.Accounts;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Behind a TLS proxy (<c>ForwardedHeaders:Enabled=true</c>) a request the proxy forwards as HTTPS is HTTPS to the app:
/// HSTS, Secure cookies, no redirect loop. Without the setting, anyone's <c>X-Forwarded-Proto</c> is ignored. Neither
/// way does <c>X-Forwarded-Host</c> reach an emailed link. HTTPS_PORT is set so a plain HTTP request visibly redirects.
/// </summary>
public sealed class ForwardedHeadersTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task Behind_a_proxy_a_request_forwarded_as_https_is_served_as_https()
    {
        using var session = Session(forwarding: true, ("X-Forwarded-Proto", "https"));

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
        using var session = Session(app, ProductionApp.Http, ("X-Forwarded-Proto", "https"));

        var response = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(SignInTests.IsSignedIn(response), $"Sign-in answered {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Contains("secure", ProductionHostingTests.Attributes(ProductionHostingTests.AuthCookie(response)));
    }

    [Fact]
    public async Task Without_forwarding_enabled_X_Forwarded_Proto_is_ignored()
    {
        using var session = Session(forwarding: false, ("X-Forwarded-Proto", "https"));

        var response = await session.Client.GetAsync(AccountFlows.LoginPath);

        Assert.True(WebSession.IsRedirect(response.StatusCode), $"A forged X-Forwarded-Proto was believed: {(int)response.StatusCode}");
        Assert.Equal(Uri.UriSchemeHttps, response.Headers.Location?.Scheme);
        Assert.Null(ProductionHostingTests.Hsts(response));
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
        using var session = Session(app, new Uri(forwarding ? "http://saasstarter:8080" : "https://saasstarter"),
            ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"));

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(WebSession.IsRedirect(registered.StatusCode), $"Register answered {(int)registered.StatusCode}");
        Assert.DoesNotContain("evil.example", registered.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        var message = Assert.Single(await app.OutboxEmailsToAsync(email));
        var link = AccountFlows.EmailLink(app.BodyOf(message));
        Assert.StartsWith(ProductionApp.PublicUrl + "/Identity/Account/ConfirmEmail?", link.ToString(), StringComparison.Ordinal);
    }

    private WebApplicationFactory<Program> App(bool forwarding) =>
        factory.InProduction(new Dictionary<string, string>
        {
            ["ForwardedHeaders:Enabled"] = forwarding ? "true" : "false",
            ["HTTPS_PORT"] = "443",
        });

    /// <summary>A plain-HTTP visitor (as the proxy talks to the app) whose every request carries these headers.</summary>
    private WebSession Session(bool forwarding, params (string Name, string Value)[] headers) =>
        Session(App(forwarding), ProductionApp.Http, headers);

    private static WebSession Session(WebApplicationFactory<Program> app, Uri baseAddress, params (string Name, string Value)[] headers)
    {
        var session = app.CreateSessionAt(baseAddress);
        foreach (var (name, value) in headers) session.Client.DefaultRequestHeaders.Add(name, value);
        return session;
    }
}
