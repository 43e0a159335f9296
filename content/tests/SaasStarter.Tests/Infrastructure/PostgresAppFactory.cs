using Npgsql;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The app on a fresh PostgreSQL database (<c>test_&lt;guid&gt;</c>) on the server in SAASSTARTER_TEST_POSTGRES.
/// The app's own start-up migration creates it; disposing the factory drops it.
/// </summary>
public sealed class PostgresAppFactory : AppFactory
{
    public string DatabaseName { get; } = $"test_{Guid.NewGuid():N}";

    public override string ProviderName => "Postgres";

    private static string ServerConnectionString =>
        TestEnvironment.PostgresConnectionString
        ?? throw new InvalidOperationException(
            $"{TestEnvironment.RequirePostgresVariable}=1 but {TestEnvironment.PostgresVariable} is not set: "
            + "give it a connection string to a PostgreSQL server whose user may create databases.");

    private bool used;

    protected override IReadOnlyDictionary<string, string?> DatabaseSettings()
    {
        var connection = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = DatabaseName };
        used = true;
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = connection.ConnectionString,
            ["Database:MigrateOnStartup"] = "true",
        };
    }

    private bool dropped;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (dropped || !used) return;
        dropped = true;
        NpgsqlConnection.ClearAllPools();
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        if (server.Database == DatabaseName) server.Database = "postgres";
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }
}
