using Microsoft.Data.Sqlite;
using SaasStarter.Data;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

public sealed class MigrateVerbTests
{
    [Fact]
    public async Task Migrate_verb_creates_the_sqlite_database_and_exits_0()
    {
        var dataDirectory = Path.Combine(Directory.CreateTempSubdirectory("saasstarter-test-").FullName, "not-yet-there");
        try
        {
            var result = await AppProcess.RunAsync(["migrate"], new Dictionary<string, string>
            {
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Default"] = "",
                ["Database__DataDirectory"] = dataDirectory,
            }, TimeSpan.FromSeconds(120));

            Assert.False(result.TimedOut, result.ToString());
            Assert.True(result.ExitCode == 0, result.ToString());
            var file = Path.Combine(dataDirectory, DatabaseSettings.SqliteFileName);
            Assert.True(File.Exists(file), $"No {file}: {result}");

            await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM \"__EFMigrationsHistory\"";
            Assert.True((long)(await count.ExecuteScalarAsync())! > 0, "No migration recorded");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
    }
}
