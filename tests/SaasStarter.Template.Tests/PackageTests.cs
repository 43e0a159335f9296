using System.IO.Compression;

namespace SaasStarter.Template.Tests;

/// <summary>The package holds the template and nothing else, and the repo itself installs as a template.</summary>
[Collection(TemplateCollection.Name)]
public sealed class PackageTests(TemplateFixture fixture, ITestOutputHelper output)
{
    /// <summary>Where the nuspec puts each repo folder inside the package.</summary>
    private static readonly (string Package, string Repo)[] Folders =
    [
        ("content/content/", "content/"),
        ("content/.template.config/", ".template.config/"),
        ("content/template/", "template/"),
    ];

    [Fact]
    public void Package_has_no_build_output_test_results_or_local_data()
    {
        var offending = PackageEntries()
            .Where(e => new[] { "/bin/", "/obj/", "/data/", "/TestResults/", "/.vs/", "/screenshots/", "/node_modules/" }
                            .Any(e.Contains)
                        || e.Contains(".received.", StringComparison.Ordinal)
                        || e.EndsWith(".user", StringComparison.Ordinal))
            .ToList();
        Assert.True(offending.Count == 0, "The package carries files a user must not get:\n" + string.Join('\n', offending));
    }

    [Fact]
    public async Task Package_has_no_file_that_git_ignores()
    {
        await Git.RequireCheckoutAsync(fixture.RepoRoot, output);
        var paths = PackageEntries().Select(ToRepoPath).OfType<string>().ToList();
        var result = await Git.RunAsync(fixture.RepoRoot, ["check-ignore", .. paths], output);

        // Exit 1 means "none of these is ignored"; 0 lists the ignored ones.
        Assert.True(result.ExitCode == 1, $"{result.Describe()}: git-ignored files in the package:\n{result.Output}");
    }

    [Fact]
    public async Task Package_contains_every_file_git_tracks_in_the_template_folders()
    {
        await Git.RequireCheckoutAsync(fixture.RepoRoot, output);
        var tracked = await Git.RunCheckedAsync(fixture.RepoRoot, ["ls-files", "--", .. Folders.Select(f => f.Repo)], output);

        var packaged = PackageEntries().Select(ToRepoPath).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var missing = tracked.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(path => File.Exists(Path.Combine(fixture.RepoRoot, path))) // deleted in the work tree, not yet committed
            .Where(path => !packaged.Contains(path))
            .ToList();
        Assert.True(missing.Count == 0,
            "Tracked template files are missing from the package (a user would not get them):\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task Repo_root_folder_installs_as_a_template_and_lists_saas_starter()
    {
        var hive = fixture.NewTempDirectory("folder-hive");
        var install = await Dotnet.RunAsync(fixture.WorkRoot, Dotnet.ShortTimeout, output, environment: null,
            "new", "install", fixture.RepoRoot, "--debug:custom-hive", hive);
        Assert.True(install.Succeeded, $"{install.Describe()}\n{install.Tail()}");

        var list = await Dotnet.RunAsync(fixture.WorkRoot, Dotnet.ShortTimeout, output, environment: null,
            "new", "list", TemplateFixture.ShortName, "--debug:custom-hive", hive);
        Assert.True(list.Succeeded, $"{list.Describe()}\n{list.Tail()}");
        Assert.Contains(TemplateFixture.ShortName, list.Output);
    }

    private List<string> PackageEntries()
    {
        using var zip = ZipFile.OpenRead(fixture.PackagePath);
        // NuGet escapes entry names like URIs (a space is %20). `_._` is its stand-in for an empty folder
        // (say a local data/ whose files are all excluded): it carries nothing and the engine never emits it.
        return zip.Entries.Select(e => Uri.UnescapeDataString(e.FullName))
            .Where(e => !e.EndsWith("/_._", StringComparison.Ordinal))
            .OrderBy(e => e, StringComparer.Ordinal).ToList();
    }

    private static string? ToRepoPath(string entry) =>
        Folders.Where(f => entry.StartsWith(f.Package, StringComparison.Ordinal))
            .Select(f => f.Repo + entry[f.Package.Length..])
            .FirstOrDefault();
}
