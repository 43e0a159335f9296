using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>OWASP ASVS 5.0: 12 to 128 characters, no composition rules. Through the Register form.</summary>
public abstract class PasswordPolicyTests(AppFactory factory)
{
    [ProviderTheory]
    [InlineData(11, false)]
    [InlineData(12, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public async Task Registration_accepts_passwords_of_12_to_128_characters(int length, bool accepted)
    {
        var email = AccountFlows.UniqueEmail($"pw{length}");
        // Lower-case letters and spaces only: no digit, capital or symbol is required.
        var password = string.Concat(Enumerable.Repeat("passphrase ", 12))[..length];
        using var session = factory.CreateSession();

        var response = await AccountFlows.RegisterAsync(session, email, password);

        var user = await factory.FindUserAsync(email);
        if (accepted)
        {
            Assert.True(WebSession.IsRedirect(response.StatusCode) && user is not null,
                $"A {length}-character password was refused ({(int)response.StatusCode}): {WebSession.Excerpt(await WebSession.ReadAsync(response))}");
        }
        else
        {
            Assert.Null(user);
            Assert.False(WebSession.IsRedirect(response.StatusCode), $"A {length}-character password was accepted");
        }
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : PasswordPolicyTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : PasswordPolicyTests(factory), IClassFixture<PostgresAppFactory>;
}
