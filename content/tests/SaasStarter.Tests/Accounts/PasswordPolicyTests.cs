using System.Net;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>OWASP ASVS 5.0: 12 to 128 characters, no composition rules. Through the Register form.</summary>
public abstract class PasswordPolicyTests(AppFactory factory)
{
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

    /// <summary>The form again (200), with <paramref name="message"/> under <paramref name="field"/>.</summary>
    internal static void AssertFieldError(WebPage page, string field, string message)
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"Answered {(int)page.Status}, not the form again: {WebSession.Excerpt(page)}");
        Assert.Equal(message, page.Document.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim());
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : PasswordPolicyTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : PasswordPolicyTests(factory), IClassFixture<PostgresAppFactory>;
}
