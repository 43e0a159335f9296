using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SaasStarter.Accounts;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// OWASP ASVS 5.0 (7.3.2): a sign-in ends <c>Accounts:SessionLifetime</c> after it began, however busy it is kept. The
/// app runs on a clock the test moves, so twelve hours pass in a moment.
/// </summary>
public abstract class SessionLifetimeTests(AppFactory factory)
{
    // Shorter than Identity's security-stamp check (every 30 minutes), which re-issues the cookie: each request is "in use".
    private static readonly TimeSpan Pause = TimeSpan.FromMinutes(20);

    [ProviderFact]
    public async Task A_sign_in_in_constant_use_ends_when_its_lifetime_is_over()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var lifetime = app.Services.GetRequiredService<AccountSettings>().SessionLifetime;
        var email = AccountFlows.UniqueEmail("session");
        await app.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = app.CreateSessionAt(new Uri("http://localhost"));
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));
        var signedInAt = clock.GetUtcNow();

        var reissued = 0;
        while (clock.GetUtcNow() + Pause < signedInAt + lifetime)
        {
            clock.Advance(Pause);
            var page = await session.Client.GetAsync("/dashboard");
            var used = clock.GetUtcNow() - signedInAt;
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"/dashboard answered {(int)page.StatusCode} {page.Headers.Location} {used} after signing in");
            if (page.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".SaasStarter.Auth=", StringComparison.Ordinal))) reissued++;
        }
        // The case that matters: the cookie was re-issued on the way, each time as if newly signed in.
        Assert.True(reissued > 0, "The sign-in cookie was never re-issued, so this test proves nothing about re-issues");

        clock.SetUtcNow(signedInAt + lifetime + TimeSpan.FromMinutes(1));
        var after = await session.Client.GetAsync("/dashboard");

        Assert.True(WebSession.IsRedirect(after.StatusCode) && after.Headers.Location!.ToString().Contains("Login", StringComparison.OrdinalIgnoreCase),
            $"/dashboard answered {(int)after.StatusCode} {after.Headers.Location} a minute after the {lifetime} lifetime, not a redirect to sign-in");
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : SessionLifetimeTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SessionLifetimeTests(factory), IClassFixture<PostgresAppFactory>;
}
