using System.Net;
using SaasStarter.Tests.Accounts;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Outside Development the app insists on HTTPS: HSTS on every HTTPS answer, plain HTTP redirected once the HTTPS port
/// is known, and the sign-in and antiforgery cookies only ever sent back over HTTPS.
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
