using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Email;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// Upgrading an app whose outbox still holds bodies in clear (stored before bodies were encrypted): a migration cannot
/// encrypt them, so the migration ProtectOutboxBodies removes every one, and fails for good, saying why, the emails not
/// sent yet, which cannot go out without their body. The database is taken back to the migration before it, given
/// such rows, and migrated again.
/// </summary>
public abstract class EmailUpgradeTests
{
    protected abstract AppFactory NewFactory();

    private const string Upgrade = "_ProtectOutboxBodies";

    [ProviderFact]
    public async Task The_upgrade_removes_every_clear_body_and_fails_the_emails_not_sent_yet_saying_why()
    {
        await using var factory = NewFactory();
        _ = factory.Services;
        var waiting = Guid.CreateVersion7();
        var sent = Guid.CreateVersion7();
        // Whole milliseconds, which both providers store exactly.
        var now = DateTime.UnixEpoch.AddMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        await MigrateAsync(factory, before: true);
        await factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AppDbContext>().Database;
            await db.ExecuteSqlAsync($"""
                INSERT INTO "OutboxEmails" ("Id", "To", "Subject", "HtmlBody", "CreatedAtUtc", "SentAtUtc", "Attempts", "NextAttemptAtUtc")
                VALUES ({waiting}, {"invited@example.com"}, {"You're invited"}, {"<a href='https://app.example.test/join/legacy-invitation-token'>Join</a>"}, {now}, NULL, 0, {now})
                """);
            return await db.ExecuteSqlAsync($"""
                INSERT INTO "OutboxEmails" ("Id", "To", "Subject", "HtmlBody", "CreatedAtUtc", "SentAtUtc", "Attempts", "NextAttemptAtUtc")
                VALUES ({sent}, {"resetting@example.com"}, {"Reset your password"}, {"<a href='https://app.example.test/Identity/Account/ResetPassword?code=legacy-reset-code'>Reset</a>"}, {now}, {now}, 1, {now})
                """);
        });
        await MigrateAsync(factory, before: false);

        var table = await factory.OutboxTableAsync();
        var text = string.Join("\n", table.SelectMany(row => row.Select(column => $"{column.Key}={column.Value}")));
        Assert.DoesNotContain("legacy-", text, StringComparison.Ordinal);
        Assert.All(table, row => Assert.DoesNotContain("HtmlBody", row.Keys));
        var rows = await factory.WithScopeAsync(services => services.GetRequiredService<AppDbContext>().OutboxEmails.AsNoTracking()
            .Where(e => e.Id == waiting || e.Id == sent).ToDictionaryAsync(e => e.Id));
        Assert.True(rows[waiting].FailedPermanently, $"The waiting email: FailedAtUtc={rows[waiting].FailedAtUtc:O}");
        Assert.Equal(OutboxEmailStatus.Failed, rows[waiting].StatusAt(DateTime.UtcNow));
        Assert.StartsWith("Not sent: stored before email bodies were encrypted", rows[waiting].LastError, StringComparison.Ordinal);
        Assert.Equal((now, (DateTime?)null, (string?)null), (rows[sent].CreatedAtUtc, rows[sent].FailedAtUtc, rows[sent].LastError));
        Assert.Equal(OutboxEmailStatus.Sent, rows[sent].StatusAt(DateTime.UtcNow));
        Assert.All(rows.Values, row => Assert.Null(row.ProtectedHtmlBody));

        using var session = factory.CreateSession();
        var page = await session.GetAsync($"/dev/outbox?id={waiting}");
        Assert.Contains("removed", page.Document.QuerySelector("#outbox-no-body")?.TextContent ?? WebSession.Excerpt(page), StringComparison.Ordinal);
    }

    /// <summary>
    /// Migrates <paramref name="factory"/>'s database to the migration before the upgrade, or to the latest, as the
    /// tables' owner (on PostgreSQL the migrations connection, as the migrate verb does).
    /// </summary>
    private static Task<bool> MigrateAsync(AppFactory factory, bool before) =>
        factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            var upgrade = migrations.FindIndex(m => m.EndsWith(Upgrade, StringComparison.Ordinal));
            Assert.True(upgrade > 0, $"No migration {Upgrade} after another in: {string.Join(", ", migrations)}");
            if (factory is PostgresAppFactory postgres) db.Database.SetConnectionString(postgres.OwnerConnectionString);
            await db.GetService<IMigrator>().MigrateAsync(before ? migrations[upgrade - 1] : null);
            return true;
        });

    public sealed class OnSqlite : EmailUpgradeTests
    {
        protected override AppFactory NewFactory() => new SqliteAppFactory();
    }

    public sealed class OnPostgres : EmailUpgradeTests, IRunsOnPostgres
    {
        protected override AppFactory NewFactory() => new PostgresAppFactory();
    }
}
