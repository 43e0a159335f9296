using Npgsql;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The app on a fresh PostgreSQL database (<c>test_&lt;guid&gt;</c>) on the server in SAASSTARTER_TEST_POSTGRES,
/// as in production: it migrates through <c>ConnectionStrings:Migrations</c> (the server's user, which owns the
/// tables) and runs as a fresh login role of its own (<c>app_&lt;guid&gt;</c>), neither superuser nor owner, so
/// row-level security binds every query of every PostgreSQL test. Disposing the factory drops both.
/// </summary>
public sealed class PostgresAppFactory : AppFactory
{
    public string DatabaseName { get; } = $"test_{Guid.NewGuid():N}";

    /// <summary>The app's login role: not a superuser, not the tables' owner.</summary>
    public string AppRole { get; } = $"app_{Guid.NewGuid():N}";

    private const string AppRolePassword = "app-role-password";

    public override string ProviderName => "Postgres";

    /// <summary>This factory's database as the app's role (<c>ConnectionStrings:Default</c>): bound by row-level security.</summary>
    public string AppConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = DatabaseName, Username = AppRole, Password = AppRolePassword, Pooling = false,
        }.ConnectionString;

    /// <summary>This factory's database as the server's user (<c>ConnectionStrings:Migrations</c>), which passes row-level security.</summary>
    public string OwnerConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = DatabaseName, Pooling = false }.ConnectionString;

    private static string ServerConnectionString =>
        TestEnvironment.PostgresConnectionString
        ?? throw new InvalidOperationException(
            $"{TestEnvironment.RequirePostgresVariable}=1 but {TestEnvironment.PostgresVariable} is not set: "
            + "give it a connection string to a PostgreSQL server whose user may create databases.");

    private bool used;

    protected override IReadOnlyDictionary<string, string?> DatabaseSettings()
    {
        if (!used) CreateAppRole();
        used = true;
        var app = new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = DatabaseName, Username = AppRole, Password = AppRolePassword,
        };
        var migrations = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = DatabaseName };
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = app.ConnectionString,
            ["ConnectionStrings:Migrations"] = migrations.ConnectionString,
            ["Database:MigrateOnStartup"] = "true",
        };
    }

    private void CreateAppRole()
    {
        using var connection = new NpgsqlConnection(ServerDatabase());
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = $"CREATE ROLE \"{AppRole}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '{AppRolePassword}'";
        create.ExecuteNonQuery();
    }

    private string ServerDatabase()
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        if (server.Database == DatabaseName) server.Database = "postgres";
        return server.ConnectionString;
    }

    private bool dropped;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (dropped || !used) return;
        dropped = true;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerDatabase());
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
        // Its grants lived in the database; the role owns nothing else, so it can go now.
        drop.CommandText = $"DROP ROLE IF EXISTS \"{AppRole}\"";
        await drop.ExecuteNonQueryAsync();
    }
}
