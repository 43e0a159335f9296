using System.Net;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// Where sign-in and sign-out send the browser back to, over a real Kestrel server: Kestrel refuses a Location header with
/// a character outside ASCII (a correct password with <c>ReturnUrl=/¿</c> was a 500), which the in-memory test server
/// lets through. A return URL off the site is never followed, and never an error either.
/// </summary>
public abstract class ReturnUrlTests(KestrelApp app)
{
    private AppFactory Factory => app.Started;

    [ProviderFact]
    public async Task Sign_in_goes_back_to_a_non_ASCII_return_url_percent_encoded()
    {
        var (session, email) = await NewUserSessionAsync();
        using var _ = session;

        var signedIn = await SignInAsync(session, email, "/¿");

        Assert.True(SignInTests.IsSignedIn(signedIn), $"Sign-in answered {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
        Assert.Equal("/%C2%BF", signedIn.Headers.Location?.OriginalString);
    }

    [ProviderFact]
    public async Task Sign_in_with_an_off_site_return_url_lands_on_the_dashboard()
    {
        var (session, email) = await NewUserSessionAsync();
        using var _ = session;

        foreach (var offSite in new[] { "//evil.example", "/\\evil.example", "https://evil.example/", "/\r\nSet-Cookie: x=1" })
        {
            var signedIn = await SignInAsync(session, email, offSite);
            Assert.True(SignInTests.IsSignedIn(signedIn), $"Sign-in with {offSite} answered {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
            Assert.Equal("/dashboard", signedIn.Headers.Location?.OriginalString);
        }
    }

    [ProviderFact]
    public async Task Sign_out_with_an_off_site_return_url_signs_out_and_goes_home()
    {
        foreach (var offSite in new[] { "//evil.example", "https://evil.example/" })
        {
            var (session, email) = await NewUserSessionAsync();
            using var _ = session;
            Assert.True(SignInTests.IsSignedIn(await SignInAsync(session, email, returnUrl: null)));

            var signedOut = await SignOutAsync(session, offSite);

            Assert.True(signedOut.StatusCode == HttpStatusCode.Redirect, $"Sign-out with {offSite} answered {(int)signedOut.StatusCode}");
            Assert.Equal("/", signedOut.Headers.Location?.OriginalString);
            Assert.True(WebSession.IsRedirect((await session.Client.GetAsync(AccountFlows.ManagePath)).StatusCode), "Still signed in after signing out");
        }
    }

    [ProviderFact]
    public async Task Sign_out_goes_back_to_a_local_return_url_and_without_one_says_so()
    {
        var (session, email) = await NewUserSessionAsync();
        using var _ = session;
        Assert.True(SignInTests.IsSignedIn(await SignInAsync(session, email, returnUrl: null)));
        var back = await SignOutAsync(session, "/¿");
        Assert.Equal("/%C2%BF", back.Headers.Location?.OriginalString);

        Assert.True(SignInTests.IsSignedIn(await SignInAsync(session, email, returnUrl: null)));
        var plain = await SignOutAsync(session, returnUrl: null);
        var page = await session.FollowAsync(plain);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(AccountFlows.LogoutPath, page.Address.AbsolutePath);
        Assert.NotNull(page.Document.QuerySelector("#signed-out"));
    }

    /// <summary>A fresh confirmed account, and a visitor of the Kestrel server who is not signed in yet.</summary>
    private async Task<(WebSession Session, string Email)> NewUserSessionAsync()
    {
        var email = AccountFlows.UniqueEmail("return");
        await Factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        return (app.CreateSession(), email);
    }

    /// <summary>The sign-in form, opened with <paramref name="returnUrl"/> as a link would carry it, then submitted.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(WebSession session, string email, string? returnUrl)
    {
        var url = returnUrl is null ? AccountFlows.LoginPath : $"{AccountFlows.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await session.GetAsync(url);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {url} answered {(int)page.Status}");
        return await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AccountFlows.GoodPassword,
        });
    }

    /// <summary>The sign-out form of any signed-in page, posted with <paramref name="returnUrl"/>.</summary>
    private static async Task<HttpResponseMessage> SignOutAsync(WebSession session, string? returnUrl)
    {
        var page = await session.GetAsync(AccountFlows.ManagePath);
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), "No anti-forgery token on " + AccountFlows.ManagePath);
        var url = returnUrl is null ? AccountFlows.LogoutPath : $"{AccountFlows.LogoutPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
        return await session.Client.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token!)]));
    }

    public sealed class OnSqlite(KestrelApp<SqliteAppFactory> app) : ReturnUrlTests(app), IClassFixture<KestrelApp<SqliteAppFactory>>;

    public sealed class OnPostgres(KestrelApp<PostgresAppFactory> app)
        : ReturnUrlTests(app), IClassFixture<KestrelApp<PostgresAppFactory>>, IRunsOnPostgres;
}
