using System.Net;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// OWASP ASVS 5.0: 12 to 128 characters, no composition rules, and none of the passwords attackers try first (6.2.12).
/// Through the Register and Change password forms.
/// </summary>
public abstract class PasswordPolicyTests(AppFactory factory)
{
    internal const string TooCommon = "This password is too common; choose another.";

    [ProviderTheory]
    [InlineData(11, "Use at least 12 characters.")]
    [InlineData(12, null)]
    [InlineData(128, null)]
    [InlineData(129, "Use at most 128 characters.")]
    public async Task Registration_accepts_passwords_of_12_to_128_characters(int length, string? refusal)
    {
        var email = AccountFlows.UniqueEmail($"pw{length}");
        // Lower-case letters and spaces only: no digit, capital or symbol is required.
        var password = string.Concat(Enumerable.Repeat("passphrase ", 12))[..length];
        using var session = factory.CreateSession();

        var response = await AccountFlows.RegisterAsync(session, email, password);

        var user = await factory.FindUserAsync(email);
        if (refusal is null)
        {
            Assert.True(WebSession.IsRedirect(response.StatusCode) && user is not null,
                $"A {length}-character password was refused ({(int)response.StatusCode}): {WebSession.Excerpt(await WebSession.ReadAsync(response))}");
        }
        else
        {
            // Refused on the form, saying why: not any other answer (a 500 is no refusal).
            Assert.Null(user);
            AssertFieldError(await WebSession.ReadAsync(response), "Input.Password", refusal);
        }
    }

    [ProviderTheory]
    [InlineData("password1234")]
    [InlineData("123456789012")]
    [InlineData("PassWord1234")] // in any letter case
    [InlineData("password 1234")] // with spaces
    [InlineData("qwertyuiop123")]
    [InlineData("aaaaaaaaaaaaaaaa")] // one character repeated
    [InlineData("abcabcabcabc")] // a short run repeated
    [InlineData("abcdefghijklm")] // a sequence
    [InlineData("0987654321098")] // backwards, wrapping round
    public async Task Registration_refuses_a_common_password(string password)
    {
        var email = AccountFlows.UniqueEmail("common");
        using var session = factory.CreateSession();

        var response = await AccountFlows.RegisterAsync(session, email, password);

        Assert.Null(await factory.FindUserAsync(email));
        AssertFormError(await WebSession.ReadAsync(response), TooCommon);
    }

    [ProviderFact]
    public async Task Registration_accepts_an_uncommon_passphrase()
    {
        var email = AccountFlows.UniqueEmail("uncommon");
        using var session = factory.CreateSession();

        var response = await AccountFlows.RegisterAsync(session, email, "amber kettle drifts north");

        Assert.True(WebSession.IsRedirect(response.StatusCode) && await factory.FindUserAsync(email) is not null,
            $"An uncommon passphrase was refused ({(int)response.StatusCode}): {WebSession.Excerpt(await WebSession.ReadAsync(response))}");
    }

    [ProviderTheory]
    [InlineData("password1234")]
    [InlineData("123456789012")]
    public async Task Change_password_refuses_a_common_password_and_keeps_the_old_one(string common)
    {
        var email = AccountFlows.UniqueEmail("change-common");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));

        var response = await PasswordChangeTests.ChangeAsync(session, AccountFlows.GoodPassword, common);

        AssertFormError(await WebSession.ReadAsync(response), TooCommon);
        using var again = factory.CreateSession();
        Assert.False(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, email, common)), "The common password signs in");
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, email, AccountFlows.GoodPassword)), "The old password no longer signs in");
    }

    /// <summary>The form again (200), with <paramref name="message"/> in its list of errors (those not of one field).</summary>
    internal static void AssertFormError(WebPage page, string message)
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"Answered {(int)page.Status}, not the form again: {WebSession.Excerpt(page)}");
        var errors = page.Document.QuerySelectorAll(".validation-summary-errors li").Select(li => li.TextContent.Trim()).ToList();
        Assert.True(errors.Contains(message), $"Expected '{message}' among the form's errors: [{string.Join(" | ", errors)}]\n{WebSession.Excerpt(page)}");
    }

    /// <summary>The form again (200), with <paramref name="message"/> under <paramref name="field"/>.</summary>
    internal static void AssertFieldError(WebPage page, string field, string message)
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"Answered {(int)page.Status}, not the form again: {WebSession.Excerpt(page)}");
        Assert.Equal(message, page.Document.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim());
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : PasswordPolicyTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : PasswordPolicyTests(factory), IClassFixture<PostgresAppFactory>;
}
