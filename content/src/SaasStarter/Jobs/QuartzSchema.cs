using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations;
using Quartz;

namespace SaasStarter.Jobs;

/// <summary>
/// Quartz's job-store tables, created by the app's own migrations. The statements are the ones the Quartz package ships
/// for each database (embedded in Quartz.dll), so the schema always matches the Quartz version the app runs; each one
/// creates only what is missing.
/// </summary>
public static partial class QuartzSchema
{
    /// <summary>Every Quartz table's name starts with this (lower case: PostgreSQL folds unquoted names anyway).</summary>
    public const string TablePrefix = "qrtz_";

    public static void Create(MigrationBuilder migration, string dialect)
    {
        foreach (var statement in Statements(dialect)) migration.Sql(statement);
    }

    /// <summary>Drops the tables <see cref="Create"/> made, the ones that other tables reference last.</summary>
    public static void Drop(MigrationBuilder migration, string dialect)
    {
        var tables = Statements(dialect).Select(statement => CreatedTable().Match(statement))
            .Where(match => match.Success).Select(match => match.Groups[1].Value).Reverse();
        foreach (var table in tables) migration.Sql($"DROP TABLE IF EXISTS {table};");
    }

    /// <param name="dialect"><c>sqlite</c> or <c>postgres</c>.</param>
    public static IEnumerable<string> Statements(string dialect)
    {
        var name = $"Quartz.Impl.AdoJobStore.Schema.create_{dialect}.sql";
        using var stream = typeof(IJob).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The Quartz package has no schema script {name}.");
        var script = new StreamReader(stream).ReadToEnd();
        // Statements are separated by a line reading exactly '--;;'; {0} is the table prefix, {1} the same for index names.
        return Separator().Split(script)
            .Where(piece => piece.Split('\n').Any(line => line.Trim() is { Length: > 0 } text && !text.StartsWith("--", StringComparison.Ordinal)))
            .Select(piece => string.Format(System.Globalization.CultureInfo.InvariantCulture, piece, TablePrefix, TablePrefix).Trim())
            .ToList();
    }

    [GeneratedRegex(@"^--;;\r?$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS (\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreatedTable();
}
