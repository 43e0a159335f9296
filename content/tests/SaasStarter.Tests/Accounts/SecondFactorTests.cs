using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// The second step of a two-factor sign-in (authenticator code or recovery code) and turning two-factor off, through the
/// real pages, with the input a browser would not send: no pending sign-in, a checkbox that is not a bool, return URLs
/// off the site or outside ASCII. (Enabling through the pages is <see cref="TwoFactorTests"/>.)
/// </summary>
public abstract class SecondFactorTests(AppFactory factory)
{
    private const string TwoFactorPath = "/Identity/Account/LoginWith2fa";
    private const string RecoveryCodePath = "/Identity/Account/LoginWithRecoveryCode";
    private const string TwoFactorSettingsPath = "/Identity/Account/Manage/TwoFactorAuthentication";

    [ProviderFact]
    public async Task A_recovery_code_signs_in_once_and_a_wrong_one_is_refused()
    {
        var user = await TwoFactorUserAsync();
        using var session = factory.CreateSession();
        var page = await RecoveryCodePageAsync(session, user, returnUrl: "/t/somewhere");

        var wrong = await session.SubmitAsync(page, new Dictionary<string, string> { ["Input.RecoveryCode"] = "AAAAA-BBBBB" });
        Assert.False(SignInTests.IsSignedIn(wrong), "A made-up recovery code signed in");
        var refused = await WebSession.ReadAsync(wrong);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("That recovery code is not valid, or it was already used.", refused.Text, StringComparison.Ordinal);

        var right = await session.SubmitAsync(refused, new Dictionary<string, string> { ["Input.RecoveryCode"] = user.RecoveryCodes[0] });
        Assert.True(SignInTests.IsSignedIn(right), $"The recovery code did not sign in ({(int)right.StatusCode} {right.Headers.Location})");
        Assert.Equal("/t/somewhere", right.Headers.Location?.OriginalString);
        Assert.Equal(user.RecoveryCodes.Count - 1, await RecoveryCodesLeftAsync(user.Email));

        // Used: the same code does not sign in again.
        await AccountFlows.SignOutAsync(session);
        var again = await RecoveryCodePageAsync(session, user, returnUrl: null);
        var reused = await session.SubmitAsync(again, new Dictionary<string, string> { ["Input.RecoveryCode"] = user.RecoveryCodes[0] });
        Assert.False(SignInTests.IsSignedIn(reused), "A used recovery code signed in again");
    }

    [ProviderFact]
    public async Task The_second_step_without_a_pending_sign_in_goes_back_to_the_sign_in_page()
    {
        using var session = factory.CreateSession();
        var token = (await session.GetAsync(AccountFlows.LoginPath)).Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        foreach (var path in new[] { TwoFactorPath, RecoveryCodePath })
        {
            var opened = await session.Client.GetAsync($"{path}?returnUrl=%2Fdashboard");
            var posted = await session.Client.PostAsync(path, new FormUrlEncodedContent(
                [new("__RequestVerificationToken", token), new("Input.TwoFactorCode", "123456"), new("Input.RecoveryCode", "AAAAA-BBBBB")]));
            foreach (var response in new[] { opened, posted })
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{response.RequestMessage!.Method} {path} answered {(int)response.StatusCode}");
                Assert.StartsWith(AccountFlows.LoginPath, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            }
            var login = await session.FollowAsync(opened);
            Assert.Contains("Your sign-in timed out.", login.Text, StringComparison.Ordinal);
        }
    }

    [ProviderFact]
    public async Task Remember_this_browser_that_is_not_a_bool_shows_the_code_form_again_with_a_message()
    {
        var user = await TwoFactorUserAsync();
        using var session = factory.CreateSession();
        var page = await CodePageAsync(session, user, returnUrl: null);

        var response = await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.TwoFactorCode"] = Totp.Code(user.Key, DateTimeOffset.UtcNow),
            ["Input.RememberMachine"] = "abc",
        });

        var again = await WebSession.ReadAsync(response);
        Assert.True(again.Status == HttpStatusCode.OK, $"Answered {(int)again.Status}: {WebSession.Excerpt(again)}");
        Assert.False(SignInTests.IsSignedIn(response));
        Assert.Contains("Don't ask again on this browser: tick the box or leave it empty.", again.Text, StringComparison.Ordinal);
        Assert.NotNull(again.Document.QuerySelector("input[name='Input.TwoFactorCode']"));
    }

    [ProviderFact]
    public async Task The_code_step_goes_back_to_a_return_url_on_the_site_and_nowhere_else()
    {
        foreach (var (returnUrl, expected) in new[] { ("/¿", "/%C2%BF"), ("//evil.example", "/dashboard"), ("https://evil.example/", "/dashboard") })
        {
            var user = await TwoFactorUserAsync();
            using var session = factory.CreateSession();
            var page = await CodePageAsync(session, user, returnUrl);
            // The code page posts back with the return URL its link carried, as a browser does (its form's action).
            var signedIn = await session.SubmitAsync(page, new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(user.Key, DateTimeOffset.UtcNow) });

            Assert.True(SignInTests.IsSignedIn(signedIn), $"With {returnUrl}: {(int)signedIn.StatusCode} {signedIn.Headers.Location}");
            Assert.Equal(expected, signedIn.Headers.Location?.OriginalString);
        }
    }

    [ProviderFact]
    public async Task Turning_two_factor_off_lets_the_password_alone_sign_in_again()
    {
        var user = await TwoFactorUserAsync();
        using var session = factory.CreateSession();
        var page = await CodePageAsync(session, user, returnUrl: null);
        Assert.True(SignInTests.IsSignedIn(await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.TwoFactorCode"] = Totp.Code(user.Key, DateTimeOffset.UtcNow),
        })));

        var disable = await session.GetAsync("/Identity/Account/Manage/Disable2fa");
        Assert.Equal(HttpStatusCode.OK, disable.Status);
        var disabled = await session.SubmitAsync(disable, new Dictionary<string, string>(), "#disable-2fa-form");
        Assert.True(disabled.StatusCode == HttpStatusCode.Redirect, $"Turning off answered {(int)disabled.StatusCode}");
        Assert.Equal(TwoFactorSettingsPath, disabled.Headers.Location?.OriginalString);
        Assert.Contains("Two-factor authentication is off.", (await session.FollowAsync(disabled)).Text, StringComparison.Ordinal);
        Assert.False(await TwoFactorEnabledAsync(user.Email), "The account still has two-factor on");

        await AccountFlows.SignOutAsync(session);
        var password = await AccountFlows.SignInAsync(session, user.Email, AccountFlows.GoodPassword);
        Assert.True(SignInTests.IsSignedIn(password), $"The password alone did not sign in: {(int)password.StatusCode} {password.Headers.Location}");
    }

    [ProviderFact]
    public async Task Two_factor_pages_for_an_account_without_it_say_so_instead_of_failing()
    {
        var email = AccountFlows.UniqueEmail("no-2fa");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = await factory.SignedInSessionAsync(email);

        foreach (var (path, message) in new[]
                 {
                     ("/Identity/Account/Manage/Disable2fa", "Two-factor authentication is already off."),
                     ("/Identity/Account/Manage/GenerateRecoveryCodes", "set up an authenticator app first"),
                 })
        {
            var response = await session.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {path} answered {(int)response.StatusCode}");
            Assert.Equal(TwoFactorSettingsPath, response.Headers.Location?.OriginalString);
            Assert.Contains(message, (await session.FollowAsync(response)).Text, StringComparison.Ordinal);
        }
    }

    private sealed record TwoFactorUser(string Email, byte[] Key, IReadOnlyList<string> RecoveryCodes);

    /// <summary>A confirmed account with an authenticator app and ten recovery codes, set up as the enabling pages do.</summary>
    private async Task<TwoFactorUser> TwoFactorUserAsync()
    {
        var email = AccountFlows.UniqueEmail("second-factor");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        return await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            var key = Totp.FromBase32((await users.GetAuthenticatorKeyAsync(user))!);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
            var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
            return new TwoFactorUser(email, key, codes);
        });
    }

    /// <summary>The password step, with <paramref name="returnUrl"/> on the sign-in link; then the code page it leads to.</summary>
    private static async Task<WebPage> CodePageAsync(WebSession session, TwoFactorUser user, string? returnUrl)
    {
        var url = returnUrl is null ? AccountFlows.LoginPath : $"{AccountFlows.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var login = await session.GetAsync(url);
        var password = await session.SubmitAsync(login, new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = AccountFlows.GoodPassword,
        });
        Assert.True(password.StatusCode == HttpStatusCode.Redirect && password.Headers.Location!.OriginalString.StartsWith(TwoFactorPath, StringComparison.Ordinal),
            $"The password step answered {(int)password.StatusCode} {password.Headers.Location}");
        var page = await session.FollowAsync(password);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page;
    }

    /// <summary>The recovery-code page, reached as a person does: the code page's link to it.</summary>
    private static async Task<WebPage> RecoveryCodePageAsync(WebSession session, TwoFactorUser user, string? returnUrl)
    {
        var codePage = await CodePageAsync(session, user, returnUrl);
        var link = codePage.Document.QuerySelector("#recovery-code-login")?.GetAttribute("href");
        Assert.False(link is null, "No link to the recovery-code page: " + WebSession.Excerpt(codePage));
        var page = await session.GetAsync(link!);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page;
    }

    private Task<int> RecoveryCodesLeftAsync(string email) =>
        factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            return await users.CountRecoveryCodesAsync((await users.FindByEmailAsync(email))!);
        });

    private Task<bool> TwoFactorEnabledAsync(string email) =>
        factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            return await users.GetTwoFactorEnabledAsync((await users.FindByEmailAsync(email))!);
        });

    public sealed class OnSqlite(SqliteAppFactory factory) : SecondFactorTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SecondFactorTests(factory), IClassFixture<PostgresAppFactory>;
}
