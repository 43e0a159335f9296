namespace SaasStarter.Tests.Tenancy;

/// <summary>Lifting the tenant filter is allowed only in the short, named list of platform queries.</summary>
public sealed class PlatformQueriesTests
{
    private static readonly string[] Allowed = ["Tenancy/PlatformQueries.cs"];

    [Fact]
    public void IgnoreQueryFilters_appears_only_in_the_platform_queries()
    {
        var source = AppSourceFolder();
        var offenders = Directory.EnumerateFiles(source, "*.cs*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(source, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(Path.Combine(source, path)).Contains("IgnoreQueryFilters", StringComparison.Ordinal))
            .Except(Allowed)
            .ToList();

        Assert.True(offenders.Count == 0, "IgnoreQueryFilters outside the platform queries: " + string.Join(", ", offenders));
        Assert.True(File.Exists(Path.Combine(source, Allowed[0])), "The platform queries moved: update this test's list.");
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
