using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>The 12-to-128 rule holds on every page that takes a password, not only on Register.</summary>
public abstract class PasswordChangeTests(AppFactory factory)
{
    private static readonly string Longest = new string('x', 64) + new string('y', 64);

    [ProviderFact]
    public async Task A_128_character_password_signs_in()
    {
        var email = AccountFlows.UniqueEmail("long");
        await factory.CreateConfirmedUserAsync(email, Longest);
        using var session = factory.CreateSession();

        var response = await AccountFlows.SignInAsync(session, email, Longest);

        Assert.True(SignInTests.IsSignedIn(response), $"Sign-in with 128 characters answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    [ProviderFact]
    public async Task Change_password_accepts_128_characters_and_refuses_129()
    {
        var email = AccountFlows.UniqueEmail("change");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));

        var tooLong = await ChangeAsync(session, AccountFlows.GoodPassword, Longest + "z");
        PasswordPolicyTests.AssertFieldError(await WebSession.ReadAsync(tooLong), "Input.NewPassword", "Use at most 128 characters.");

        var longest = await ChangeAsync(session, AccountFlows.GoodPassword, Longest);
        Assert.True(WebSession.IsRedirect(longest.StatusCode),
            $"A 128-character password was refused: {WebSession.Excerpt(await WebSession.ReadAsync(longest))}");

        using var again = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, email, Longest)), "The new password does not sign in");
    }

    [ProviderFact]
    public async Task Emailed_reset_link_sets_a_new_128_character_password()
    {
        var email = AccountFlows.UniqueEmail("reset");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        await AccountFlows.AskForPasswordResetAsync(session, email);
        var message = await factory.LatestEmailToAsync(email);
        Assert.NotNull(message);

        await AccountFlows.ResetPasswordAsync(session, AccountFlows.EmailLink(message.HtmlBody), email, Longest);

        using var again = factory.CreateSession();
        Assert.False(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, email, AccountFlows.GoodPassword)), "The old password still works");
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, email, Longest)), "The new password does not sign in");
    }

    internal static async Task<HttpResponseMessage> ChangeAsync(WebSession session, string old, string @new)
    {
        var page = await session.GetAsync("/Identity/Account/Manage/ChangePassword");
        return await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.OldPassword"] = old,
            ["Input.NewPassword"] = @new,
            ["Input.ConfirmPassword"] = @new,
        });
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : PasswordChangeTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : PasswordChangeTests(factory), IClassFixture<PostgresAppFactory>;
}
