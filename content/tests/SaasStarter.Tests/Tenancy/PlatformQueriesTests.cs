namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// Lifting the tenant filter is allowed only in the short, named lists of platform queries: one file named
/// PlatformQueries.cs in each module that needs one (Tenancy's, the audit log's, the API keys', the invitations').
/// </summary>
public sealed class PlatformQueriesTests
{
    private const string FileName = "PlatformQueries.cs";

    [Fact]
    public void IgnoreQueryFilters_appears_only_in_the_platform_queries()
    {
        var source = AppSourceFolder();
        var offenders = Directory.EnumerateFiles(source, "*.cs*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(source, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(Path.Combine(source, path)).Contains("IgnoreQueryFilters", StringComparison.Ordinal))
            .Where(path => Path.GetFileName(path) != FileName)
            .ToList();

        Assert.True(offenders.Count == 0, "IgnoreQueryFilters outside the platform queries: " + string.Join(", ", offenders));
        // The check above could pass because the lists moved or were renamed: the mechanism's own must be there.
        Assert.True(File.Exists(Path.Combine(source, "Tenancy", FileName)), $"Tenancy/{FileName} is missing: update this test.");
    }

    /// <summary>src/&lt;App&gt;/, found from the test's build output (the project is named after the app).</summary>
    private static string AppSourceFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var src = Path.Combine(folder.FullName, "src");
            var app = Directory.Exists(src)
                ? Directory.GetDirectories(src).SingleOrDefault(d => File.Exists(Path.Combine(d, "Program.cs")))
                : null;
            if (app is not null) return app;
        }
        throw new DirectoryNotFoundException("No src/<App>/Program.cs above " + AppContext.BaseDirectory);
    }
}
