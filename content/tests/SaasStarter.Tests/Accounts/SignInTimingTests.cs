using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// OWASP ASVS 5.0 (6.3.8): the time a refused sign-in takes must not tell whether the email has an account. The
/// sign-in page gives one message for a wrong password, an unknown email and an unconfirmed account; this holds their
/// durations to the same standard. (A locked-out account is told so, on its own page, so it is no secret to time.)
/// </summary>
public abstract class SignInTimingTests(AppFactory factory, ITestOutputHelper output)
{
    // Enough rounds for a median that load on the machine does not swing; the warm-up rounds (JIT, pools, caches) are not counted.
    private const int WarmUpRounds = 3;
    private const int Rounds = 30;

    // Generous bounds, which load on the machine cannot cross: skipping the hash made an unknown email 5 to 15 times quicker.
    private const double Slowest = 2.0;
    private const double Fastest = 0.5;

    [ProviderFact]
    public async Task Unknown_emails_and_unconfirmed_accounts_are_refused_as_slowly_as_wrong_passwords()
    {
        var existing = AccountFlows.UniqueEmail("timing");
        var unconfirmed = AccountFlows.UniqueEmail("timing-unconfirmed");
        await factory.CreateConfirmedUserAsync(existing, AccountFlows.GoodPassword);
        await CreateUnconfirmedUserAsync(unconfirmed);
        using var session = factory.CreateSession();
        var form = await session.GetAsync(AccountFlows.LoginPath);

        (string Kind, Func<string> Email)[] attempts =
        [
            ("wrong password", () => existing),
            ("unknown email", () => AccountFlows.UniqueEmail("nobody")),
            ("unconfirmed account", () => unconfirmed),
        ];
        var durations = attempts.ToDictionary(a => a.Kind, _ => new List<TimeSpan>());
        for (var round = 0; round < WarmUpRounds + Rounds; round++)
        {
            // Interleaved, and in a turning order, so whatever else loads the machine loads every kind alike.
            for (var i = 0; i < attempts.Length; i++)
            {
                var (kind, email) = attempts[(round + i) % attempts.Length];
                var took = await TimeRefusalAsync(session, form, email(), kind);
                if (round >= WarmUpRounds) durations[kind].Add(took);
            }
            // Below the lockout threshold, so every wrong password is checked (a locked-out account is refused before that).
            await factory.WithScopeAsync(async sp =>
            {
                var users = sp.GetRequiredService<UserManager<AppUser>>();
                return await users.ResetAccessFailedCountAsync((await users.FindByEmailAsync(existing))!);
            });
        }

        var medians = durations.ToDictionary(d => d.Key, d => Median(d.Value));
        var report = string.Join(", ", medians.Select(m => $"{m.Key} {m.Value.TotalMilliseconds:0.0} ms"));
        output.WriteLine("Medians: " + report);
        var reference = medians["wrong password"];
        foreach (var (kind, median) in medians.Where(m => m.Key != "wrong password"))
        {
            var ratio = median / reference;
            Assert.True(ratio is >= Fastest and <= Slowest,
                $"Refusing a sign-in ({kind}) takes {ratio:0.00} times as long as for a wrong password (medians of {Rounds}: {report})");
        }
    }

    /// <summary>One POST of the sign-in form; asserts it was the form again with the refusal, not a sign-in or another page.</summary>
    private static async Task<TimeSpan> TimeRefusalAsync(WebSession session, WebPage form, string email, string kind)
    {
        var values = new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "not the password at all" };
        var clock = Stopwatch.StartNew();
        using var response = await session.SubmitAsync(form, values);
        var took = clock.Elapsed;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Sign-in ({kind}) answered {(int)response.StatusCode} {response.Headers.Location}");
        return took;
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    private Task CreateUnconfirmedUserAsync(string email) =>
        factory.WithScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<UserManager<AppUser>>()
                .CreateAsync(new AppUser { UserName = email, Email = email }, AccountFlows.GoodPassword);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
            return result;
        });

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output)
        : SignInTimingTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output)
        : SignInTimingTests(factory, output), IClassFixture<PostgresAppFactory>;
}
