using Npgsql;

namespace SaasStarter.Benchmarks;

/// <summary>
/// A fresh database on the server in <see cref="BenchDatabase.PostgresVariable"/>, set up as in production: the
/// server's user owns it and migrates it (<c>ConnectionStrings:Migrations</c>), and the app runs as a login role of
/// its own, neither superuser nor owner, so row-level security binds every query the pages make. Both are dropped
/// when disposed.
/// </summary>
public sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly NpgsqlConnectionStringBuilder server;
    private readonly string name = $"bench_{Guid.NewGuid():N}";
    private readonly string role = $"bench_app_{Guid.NewGuid():N}";
    private readonly string rolePassword = Guid.NewGuid().ToString("N");
    private string version = "";

    private PostgresBenchDatabase(string serverConnectionString)
    {
        server = new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false };
    }

    public static async Task<PostgresBenchDatabase> CreateAsync(string serverConnectionString)
    {
        var database = new PostgresBenchDatabase(serverConnectionString);
        try
        {
            await database.ExecuteAsync(database.server.Database,
                $"CREATE DATABASE \"{database.name}\"",
                $"CREATE ROLE \"{database.role}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{database.rolePassword}'");
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return database;
    }

    public override string Description => $"PostgreSQL {version}";

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Default"] = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = name, Username = role, Password = rolePassword, Pooling = true,
        }.ConnectionString,
        ["ConnectionStrings:Migrations"] = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString,
        ["Database:MigrateOnStartup"] = "true",
    };

    public override string? AppRole => role;

    public override async Task<System.Data.Common.DbConnection> OpenOwnerAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// The planner's statistics, which autovacuum would gather within a minute of 10,000 new rows anyway (mid-run, then):
    /// as the tables' owner, since the app's role may not.
    /// </summary>
    public override Task SettleAsync() => ExecuteAsync(name, "ANALYZE");

    /// <summary>Runs <paramref name="statements"/> as the server's user, on <paramref name="database"/>.</summary>
    private async Task ExecuteAsync(string? database, params string[] statements)
    {
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database };
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        version = connection.PostgreSqlVersion.ToString();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // The role's grants live in the database, so the role can go once the database has.
        await ExecuteAsync(server.Database, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", $"DROP ROLE IF EXISTS \"{role}\"");
    }
}
