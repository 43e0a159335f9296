using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using SaasStarter.Core;

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
        await MigrateAsync(db, app.Services.GetRequiredService<DatabaseSettings>(), logger);
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
            await MigrateAsync(db, settings, logger);
            await CheckRoleAsync(db, scope.ServiceProvider, logger);
            return;
        }

        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync()).Count();
            if (pending > 0)
            {
                logger.LogWarning("{Count} database migration(s) are pending: run the app with the 'migrate' verb. "
                    + "/health/ready answers 503 until then", pending);
                return;
            }
            await CheckRoleAsync(db, scope.ServiceProvider, logger);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ConfigurationError)
        {
            logger.LogWarning(e, "The database cannot be reached yet; /health/ready answers 503 until it can");
        }
    }

    /// <summary>
    /// Applies the migrations, through <c>ConnectionStrings:Migrations</c> when it is set (PostgreSQL): that role owns
    /// the tables, and the app's role (<c>ConnectionStrings:Default</c>) is then granted the use of them, so the app
    /// runs as neither superuser nor owner and row-level security binds it.
    /// </summary>
    private static async Task MigrateAsync(AppDbContext db, DatabaseSettings settings, ILogger logger)
    {
        if (settings.MigrationsConnectionString is not { } migrations || !db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync();
            await UseWriteAheadLogAsync(db);
            await StoreSessionKeyAsync(db, settings);
            return;
        }

        db.Database.SetConnectionString(migrations);
        try
        {
            await db.Database.MigrateAsync();
            await StoreSessionKeyAsync(db, settings);
            var appRole = new NpgsqlConnectionStringBuilder(settings.ConnectionString).Username;
            var owner = new NpgsqlConnectionStringBuilder(migrations).Username;
            if (!string.IsNullOrEmpty(appRole) && appRole != owner)
            {
                await db.Database.ExecuteSqlRawAsync(GrantsTo(appRole, db.Model));
                logger.LogInformation("Granted the app role {Role} the use of the tables", appRole);
            }
        }
        finally
        {
            db.Database.SetConnectionString(settings.ConnectionString);
        }
    }

    /// <summary>
    /// Data access, no DDL, on what exists and (default privileges) on what later migrations create. Append-only records
    /// (<see cref="IAppendOnly"/>) are never changed; a tenant's (its audit events) may be deleted by retention, which a
    /// restrictive policy keeps to rows a day old (<see cref="RowLevelSecurity.AllowDeletingOnlyAfter"/>), while the
    /// platform's (operator actions) are never deleted: even a compromised app cannot erase what was just recorded.
    /// </summary>
    private static string GrantsTo(string role, IModel model)
    {
        var quoted = "\"" + role.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var appendOnly = model.GetEntityTypes()
            .Where(t => typeof(IAppendOnly).IsAssignableFrom(t.ClrType) && t.GetTableName() is not null)
            .Select(t => $"REVOKE {(typeof(ITenantOwned).IsAssignableFrom(t.ClrType) ? "UPDATE" : "UPDATE, DELETE")} ON \"{t.GetTableName()}\" FROM {quoted};");
        return $"""
            GRANT USAGE ON SCHEMA public TO {quoted};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted};
            REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory" FROM {quoted};
            {string.Join("\n", appendOnly)}
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted};
            """;
    }

    /// <summary><c>Database:SessionKey</c>, when set, replaces the key the migration made (<see cref="SessionKey"/>).</summary>
    private static async Task StoreSessionKeyAsync(AppDbContext db, DatabaseSettings settings)
    {
        if (settings.SessionKey is not { } key || !db.Database.IsNpgsql()) return;
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO app_private.session_key (id, key) VALUES (1, {key}) ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key");
    }

    /// <summary>
    /// PostgreSQL: the app can sign its row-level security settings (a wrong <c>Database:SessionKey</c>, or an app role
    /// that can read no key, stops start-up), and a warning when its role is not bound by row-level security: a superuser
    /// passes through it and the tables' owner could switch it off, so isolation would rest on the query filters alone.
    /// </summary>
    private static async Task CheckRoleAsync(AppDbContext db, IServiceProvider services, ILogger logger)
    {
        if (!db.Database.IsNpgsql()) return;
        var key = await services.GetRequiredService<SessionKey>().GetAsync(CancellationToken.None);
        var probe = SessionKey.Sign(key, "app.session_probe", "ok");
        string? vouched;
        await db.Database.OpenConnectionAsync();
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT set_config('app.session_probe', {probe}, false)");
            vouched = await db.Database.SqlQuery<string>($"SELECT app_private.vouched('app.session_probe') AS \"Value\"").SingleAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (vouched != "ok")
        {
            throw new ConfigurationError("Database:SessionKey",
                "does not match the key in the database: run the 'migrate' verb with the same Database:SessionKey.");
        }

        var unbound = await db.Database.SqlQueryRaw<bool>("""
            SELECT r.rolsuper OR r.rolbypassrls OR EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public'
                AND t.tablename = 'Memberships' AND pg_has_role(current_user, t.tableowner, 'MEMBER')) AS "Value"
            FROM pg_roles r WHERE r.rolname = current_user
            """).SingleAsync();
        if (unbound)
        {
            logger.LogWarning("The app connects to PostgreSQL as a superuser, a role with BYPASSRLS or the tables' owner, which "
                + "row-level security does not bind (or which could switch it off): tenant isolation rests on the app's query "
                + "filters alone. Connect as a plain role in ConnectionStrings:Default and migrate through ConnectionStrings:Migrations");
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
