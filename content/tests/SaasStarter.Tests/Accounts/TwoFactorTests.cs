using System.Net;
using System.Text.RegularExpressions;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

public abstract partial class TwoFactorTests(AppFactory factory)
{
    private const string EnableAuthenticatorPath = "/Identity/Account/Manage/EnableAuthenticator";

    [ProviderFact]
    public async Task Authenticator_app_codes_are_required_at_the_next_sign_in()
    {
        var email = AccountFlows.UniqueEmail("2fa");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));

        // Enable: read the shared key as a person types it into an authenticator app, answer with its code.
        var enable = await session.GetAsync(EnableAuthenticatorPath);
        Assert.Equal(HttpStatusCode.OK, enable.Status);
        var key = Totp.FromBase32(SharedKey(enable));
        // The previous 30-second step (Identity accepts a little clock drift), so the sign-in below uses a different code.
        var enabled = await session.SubmitAsync(enable, new Dictionary<string, string>
        {
            ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(-30)),
        });
        Assert.True(WebSession.IsRedirect(enabled.StatusCode),
            $"Enabling answered {(int)enabled.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(enabled))}");

        var codesPage = await session.FollowAsync(enabled);
        var recoveryCodes = RecoveryCode().Matches(codesPage.Text).Select(m => m.Value).Distinct().ToList();
        Assert.True(recoveryCodes.Count >= 10, $"Expected 10 recovery codes on {codesPage.Address}: {WebSession.Excerpt(codesPage)}");

        await AccountFlows.SignOutAsync(session);
        var signedOut = await session.Client.GetAsync(AccountFlows.ManagePath);
        Assert.True(WebSession.IsRedirect(signedOut.StatusCode), "Still signed in after signing out");

        // The password alone no longer signs in: it leads to the code page.
        var password = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.False(SignInTests.IsSignedIn(password), "The password alone signed in a two-factor account");
        Assert.True(WebSession.IsRedirect(password.StatusCode), $"Sign-in answered {(int)password.StatusCode}");
        Assert.Contains("LoginWith2fa", password.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);

        var challenge = await session.GetAsync(new Uri(password.RequestMessage!.RequestUri!, password.Headers.Location).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, challenge.Status);
        var wrong = await session.SubmitAsync(challenge, new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow.AddHours(1)) });
        Assert.False(SignInTests.IsSignedIn(wrong), "A wrong code signed in");
        var refused = await WebSession.ReadAsync(wrong);
        Assert.True(refused.Status == HttpStatusCode.OK, $"A wrong code answered {(int)refused.Status}, not the code page again: {WebSession.Excerpt(refused)}");
        Assert.Contains("Invalid authenticator code.", refused.Text, StringComparison.Ordinal);

        challenge = await session.GetAsync(challenge.Address.PathAndQuery);
        var right = await session.SubmitAsync(challenge, new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.True(SignInTests.IsSignedIn(right), $"The authenticator code did not sign in ({(int)right.StatusCode} {right.Headers.Location})");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(AccountFlows.ManagePath)).Status);
    }

    /// <summary>The key from the otpauth:// URI the page encodes as a QR code, else the key it prints.</summary>
    private static string SharedKey(WebPage page)
    {
        var uri = page.Document.QuerySelector("[data-url^='otpauth://']")?.GetAttribute("data-url")
            ?? Regex.Match(page.Html, @"otpauth://[^""'\s<]+").Value;
        var secret = Regex.Match(WebUtility.HtmlDecode(uri ?? ""), @"[?&]secret=([A-Za-z2-7=]+)");
        if (secret.Success) return secret.Groups[1].Value;

        var printed = page.Document.QuerySelector("kbd")?.TextContent;
        Assert.False(string.IsNullOrWhiteSpace(printed), "No shared key on " + page.Address + ": " + WebSession.Excerpt(page));
        return printed!;
    }

    [GeneratedRegex(@"\b[A-Za-z0-9]{5}-[A-Za-z0-9]{5}\b")]
    private static partial Regex RecoveryCode();

    public sealed class OnSqlite(SqliteAppFactory factory) : TwoFactorTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : TwoFactorTests(factory), IClassFixture<PostgresAppFactory>;
}
