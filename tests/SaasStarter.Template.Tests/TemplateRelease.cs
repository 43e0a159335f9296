namespace SaasStarter.Template.Tests;

/// <summary>A later release of the template: a copy of this repo with some edits and a new version, packed.</summary>
public static class TemplateRelease
{
    /// <summary>The files the nuspec packs from (git-tracked or new, never ignored: what the fixture's package holds).</summary>
    private static readonly string[] PackedFromRepo = ["SaasStarter.nuspec", "README.md", ".template.config", "content", "template"];

    /// <summary>Copies the repo, sets the version, lets <paramref name="edit"/> change the copy, packs it; returns the .nupkg.</summary>
    public static async Task<string> PackAsync(TemplateFixture fixture, string version, Action<string> edit, ITestOutputHelper log)
    {
        var copy = fixture.NewTempDirectory($"release-{version}");
        var files = await Dotnet.RunProgramAsync("git",
            ["-C", fixture.RepoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", .. PackedFromRepo],
            fixture.RepoRoot, Dotnet.ShortTimeout, log);
        Assert.True(files.Succeeded, $"The release is copied from the repo's git files: {files.Describe()}\n{files.Tail()}");
        foreach (var file in files.Output.Split(['\0', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(fixture.RepoRoot, file);
            if (!File.Exists(source)) continue; // deleted in the work tree, not yet committed
            var target = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        TemplateIdentity.SetVersion(copy, version);
        edit(copy);
        var packages = fixture.NewTempDirectory($"release-{version}-package");
        await Dotnet.RunCheckedAsync(copy, Dotnet.ShortTimeout, log, "pack", Path.Combine(copy, "SaasStarter.nuspec"), "-o", packages);
        return Directory.GetFiles(packages, "*.nupkg").Single();
    }

    /// <summary>The next minor version after <paramref name="version"/> (0.1.0 → 0.2.0).</summary>
    public static string NextMinor(string version)
    {
        var release = Version.Parse(version.Split('-', '+')[0]);
        return $"{release.Major}.{release.Minor + 1}.0";
    }
}
