using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// A fresh database for apps started as processes (<see cref="JobsAppProcess"/>), which outlives any of them: a SQLite
/// file in a temporary folder, or a PostgreSQL database migrated by the server's user and used by a login role of its
/// own (neither superuser nor owner), as <see cref="PostgresAppFactory"/> sets one up. Removed when disposed.
/// </summary>
public abstract class ProcessDatabase : IAsyncDisposable
{
    /// <summary>The app's settings, as environment variables.</summary>
    public abstract IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The app's login role (PostgreSQL), which the harness grants its test tables to; null on SQLite.</summary>
    public abstract string? AppRole { get; }

    /// <summary>An open connection as the database's owner: reads every row, creates the test jobs' tables.</summary>
    public abstract Task<DbConnection> OpenOwnerAsync();

    public abstract ValueTask DisposeAsync();

    public static ProcessDatabase Sqlite() => new SqliteProcessDatabase();

    public static async Task<ProcessDatabase> PostgresAsync()
    {
        var database = new PostgresProcessDatabase(TestEnvironment.PostgresConnectionString
            ?? throw new InvalidOperationException($"{TestEnvironment.PostgresVariable} is not set."));
        await database.CreateAsync();
        return database;
    }

    private sealed class SqliteProcessDatabase : ProcessDatabase
    {
        private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("saasstarter-jobs-");

        public override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Default"] = "",
            ["Database__DataDirectory"] = folder.FullName,
            ["Database__MigrateOnStartup"] = "true",
        };

        public override string? AppRole => null;

        public override async Task<DbConnection> OpenOwnerAsync()
        {
            // The app's file, beside a live app: wait out its write locks rather than fail.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(folder.FullName, SaasStarter.Data.DatabaseSettings.SqliteFileName),
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = 30,
            }.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        public override ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresProcessDatabase(string server) : ProcessDatabase
    {
        private const string RolePassword = "app-role-password";
        private readonly string name = $"test_{Guid.NewGuid():N}";
        private readonly string role = $"app_{Guid.NewGuid():N}";

        public override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = new NpgsqlConnectionStringBuilder(server)
            {
                Database = name, Username = role, Password = RolePassword,
            }.ConnectionString,
            ["ConnectionStrings__Migrations"] = Owner,
            ["Database__MigrateOnStartup"] = "true",
        };

        public override string? AppRole => role;

        private string Owner => new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;

        public override async Task<DbConnection> OpenOwnerAsync()
        {
            var connection = new NpgsqlConnection(Owner);
            await connection.OpenAsync();
            return connection;
        }

        public async Task CreateAsync() => await ServerAsync(
            $"CREATE DATABASE \"{name}\"",
            $"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{RolePassword}'");

        public override async ValueTask DisposeAsync() =>
            await ServerAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", $"DROP ROLE IF EXISTS \"{role}\"");

        private async Task ServerAsync(params string[] statements)
        {
            var target = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
            if (target.Database == name) target.Database = "postgres";
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
