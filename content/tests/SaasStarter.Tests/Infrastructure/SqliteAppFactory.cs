using Microsoft.Data.Sqlite;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>The app on a SQLite file in a temporary folder of its own (<c>Database:DataDirectory</c>).</summary>
public sealed class SqliteAppFactory : AppFactory
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("saasstarter-test-").FullName;

    public override string ProviderName => "Sqlite";

    protected override IReadOnlyDictionary<string, string?> DatabaseSettings() => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        // Empty, so the file lands in DataDirectory, whatever appsettings of a template variant say.
        ["ConnectionStrings:Default"] = "",
        ["Database:DataDirectory"] = DataDirectory,
        ["Database:MigrateOnStartup"] = "true",
    };

    private bool cleaned;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (cleaned) return;
        cleaned = true;
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere stays in the temp folder.
        }
    }
}
