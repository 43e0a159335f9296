using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

public static class DatabaseMigrator
{
    /// <summary>The <c>migrate</c> verb: applies pending migrations and reports what it did.</summary>
    public static async Task<int> MigrateAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SaasStarter.Migrate");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // No pending-migrations query first: on a database that does not exist yet it would log errors.
        await db.Database.MigrateAsync();
        await UseWriteAheadLogAsync(db);
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        logger.LogInformation("Database is up to date: {Count} migration(s) applied, the last {Last}",
            applied.Count, applied.LastOrDefault() ?? "none");
        return 0;
    }

    /// <summary>At start-up: migrate when <c>Database:MigrateOnStartup</c> is on, otherwise warn about pending ones.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SaasStarter.Data");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        if (settings.MigrateOnStartup)
        {
            await db.Database.MigrateAsync();
            await UseWriteAheadLogAsync(db);
            return;
        }

        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync()).Count();
            if (pending > 0)
            {
                logger.LogWarning("{Count} database migration(s) are pending: run the app with the 'migrate' verb. "
                    + "/health/ready answers 503 until then", pending);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The database cannot be reached yet; /health/ready answers 503 until it can");
        }
    }

    /// <summary>WAL lets readers work while one writer commits; the mode is stored in the file, so once is enough.</summary>
    private static async Task UseWriteAheadLogAsync(AppDbContext db)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        }
    }
}
