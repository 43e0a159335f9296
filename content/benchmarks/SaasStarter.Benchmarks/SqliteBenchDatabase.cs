using Microsoft.Data.Sqlite;

namespace SaasStarter.Benchmarks;

/// <summary>A fresh SQLite file in a temporary folder, as the app lays it out (WAL, its data directory).</summary>
public sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly string folder = Directory.CreateTempSubdirectory("saasstarter-bench-").FullName;

    public override string Description => "SQLite";

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        // Empty, so the file lands in the data directory whatever appsettings say.
        ["ConnectionStrings:Default"] = "",
        ["Database:DataDirectory"] = folder,
        ["Database:MigrateOnStartup"] = "true",
    };

    public override async Task<System.Data.Common.DbConnection> OpenOwnerAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, SaasStarter.Data.DatabaseSettings.SqliteFileName),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30, // beside a live app: wait out its write locks
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not remove {folder}: {e.Message}");
        }
        return ValueTask.CompletedTask;
    }
}
