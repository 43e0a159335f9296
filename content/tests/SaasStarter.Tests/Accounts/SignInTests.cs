using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Data;

namespace SaasStarter.Tests.Accounts;

/// <summary>Registration, email confirmation, sign-in, its cookie and lockout: through the real pages.</summary>
public abstract class SignInTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Registration_emails_a_link_that_confirms_the_account_so_sign_in_works()
    {
        var email = AccountFlows.UniqueEmail("confirm");
        using var session = factory.CreateSession();

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);
        Assert.True(WebSession.IsRedirect(registered.StatusCode), $"Register answered {(int)registered.StatusCode}");

        var message = await factory.LatestEmailToAsync(email);
        Assert.NotNull(message);
        Assert.False((await factory.FindUserAsync(email))!.EmailConfirmed);

        var beforeConfirming = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.False(IsSignedIn(beforeConfirming), "An unconfirmed account signed in");

        var confirmed = await session.GetFollowingRedirectsAsync(AccountFlows.EmailLink(message.HtmlBody).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The link did not confirm the account");

        var signedIn = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.True(IsSignedIn(signedIn), $"Sign-in answered {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
        var manage = await session.GetAsync(AccountFlows.ManagePath);
        Assert.Equal(HttpStatusCode.OK, manage.Status);
    }

    [ProviderFact]
    public async Task Signed_in_user_reaches_the_dashboard()
    {
        var email = AccountFlows.UniqueEmail("dashboard");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        var anonymous = await session.Client.GetAsync("/dashboard");
        Assert.True(WebSession.IsRedirect(anonymous.StatusCode) && anonymous.Headers.Location!.ToString().Contains("Login", StringComparison.OrdinalIgnoreCase),
            $"Anonymous /dashboard answered {(int)anonymous.StatusCode} {anonymous.Headers.Location}, not a redirect to sign-in");

        Assert.True(IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));
        var dashboard = await session.GetAsync("/dashboard");
        Assert.True(dashboard.Status == HttpStatusCode.OK, $"/dashboard answered {(int)dashboard.Status}");
    }

    [ProviderFact]
    public async Task Sign_in_sets_an_HttpOnly_SameSite_Lax_auth_cookie()
    {
        var email = AccountFlows.UniqueEmail("cookie");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        var response = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(IsSignedIn(response));
        var cookie = response.Headers.GetValues("Set-Cookie").SingleOrDefault(c => c.StartsWith(".SaasStarter.Auth=", StringComparison.Ordinal));
        Assert.True(cookie is not null, "No auth cookie in: " + string.Join(" | ", response.Headers.GetValues("Set-Cookie")));
        var attributes = cookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
    }

    [ProviderFact]
    public async Task Sign_in_over_https_marks_the_auth_cookie_Secure()
    {
        var email = AccountFlows.UniqueEmail("secure");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession(new Uri("https://localhost"));

        var response = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(IsSignedIn(response));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".SaasStarter.Auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie.Split(';').Select(a => a.Trim().ToLowerInvariant()));
    }

    [ProviderFact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var email = AccountFlows.UniqueEmail("lockout");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await AccountFlows.SignInAsync(session, email, "not the password at all");
            Assert.False(IsSignedIn(wrong), $"Wrong password {attempt} signed in");
        }

        var right = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);

        Assert.False(IsSignedIn(right), "The right password still signs in after 5 wrong ones");
        Assert.True(WebSession.IsRedirect(right.StatusCode) && right.Headers.Location!.ToString().Contains("Lockout", StringComparison.OrdinalIgnoreCase),
            $"Expected a redirect to the Lockout page, got {(int)right.StatusCode} {right.Headers.Location}");
        var locked = await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            return await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!);
        });
        Assert.True(locked);
    }

    /// <summary>Identity's sign-in page redirects to the return URL and sets the auth cookie on success.</summary>
    internal static bool IsSignedIn(HttpResponseMessage response) =>
        WebSession.IsRedirect(response.StatusCode)
        && response.Headers.TryGetValues("Set-Cookie", out var cookies)
        && cookies.Any(c => c.StartsWith(".SaasStarter.Auth=", StringComparison.Ordinal) && !c.StartsWith(".SaasStarter.Auth=;", StringComparison.Ordinal));

    public sealed class OnSqlite(SqliteAppFactory factory) : SignInTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SignInTests(factory), IClassFixture<PostgresAppFactory>;
}
