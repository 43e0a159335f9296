using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Outside Development the console log is one JSON object per line, what a log collector in front of a container reads;
/// the first-run setup URL among it points at App:PublicUrl (the built dll as a process, as a container runs it).
/// </summary>
public sealed class JsonLogTests
{
    private const string PublicUrl = "https://app.example.test";

    [Fact]
    public async Task Production_logs_one_json_object_per_line_and_the_setup_url_on_the_public_address()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("saasstarter-test-");
        try
        {
            await using (var app = RunningAppProcess.Start(new Dictionary<string, string>
            {
                ["App__PublicUrl"] = PublicUrl,
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Default"] = "",
                ["Database__DataDirectory"] = dataDirectory.FullName,
                ["Database__MigrateOnStartup"] = "true",
            }))
            {
                var setupLine = await app.WaitForLineAsync(l => l.Contains("/setup?token=", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

                // Every line up to it: start-up, migrations, "Now listening on", the setup URL.
                var lines = app.OutputLines.TakeWhile(l => l != setupLine).Append(setupLine).ToList();
                Assert.True(lines.Count > 1, "The setup URL was the only line logged");
                Assert.All(lines, AssertJsonLogEntry);
                using var setup = JsonDocument.Parse(setupLine);
                Assert.Equal("Warning", setup.RootElement.GetProperty("LogLevel").GetString());
                var message = setup.RootElement.GetProperty("Message").GetString()!;
                var url = Regex.Match(message, @"https?://\S+").Value;
                Assert.StartsWith(PublicUrl + "/setup?token=", url, StringComparison.Ordinal);
                Assert.Matches("^[0-9a-f]{48}$", url[(PublicUrl + "/setup?token=").Length..]);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            dataDirectory.Delete(recursive: true);
        }
    }

    private static void AssertJsonLogEntry(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"Not a JSON line ({e.Message}): {line}");
        }
        using (document)
        {
            var root = document.RootElement;
            Assert.True(root.ValueKind == JsonValueKind.Object, "Not a JSON object: " + line);
            Assert.True(root.TryGetProperty("LogLevel", out var level) && level.GetString() is { Length: > 0 }, "No LogLevel: " + line);
            Assert.True(root.TryGetProperty("Category", out var category) && category.GetString() is { Length: > 0 }, "No Category: " + line);
            Assert.True(root.TryGetProperty("Timestamp", out var timestamp)
                && DateTimeOffset.TryParseExact(timestamp.GetString(), "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out _), "No UTC Timestamp: " + line);
        }
    }
}
