namespace SaasStarter.Template.Tests;

/// <summary>An app generated from the fixture's package into a git repository, as a team starts one.</summary>
public sealed class TeamApp(string directory, ITestOutputHelper log)
{
    public string Directory { get; } = directory;

    public string FullPath(string relative) => Path.Combine(Directory, relative);

    /// <summary>Generates <paramref name="variant"/> and commits it as the first commit.</summary>
    public static async Task<TeamApp> GenerateAsync(TemplateFixture fixture, Variant variant, string directory, ITestOutputHelper log)
    {
        var generate = await fixture.DotnetNewAsync(log, [TemplateFixture.ShortName, .. variant.NewArguments, "-o", directory]);
        Assert.True(generate.Succeeded, $"{generate.Describe()}\n{generate.Tail()}");
        var app = new TeamApp(directory, log);
        await app.GitAsync("init", "-q");
        await app.CommitAsync("Generated with dotnet new");
        return app;
    }

    public async Task CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.name=Team", "-c", "user.email=team@example.com", "commit", "-q", "-m", message);
    }

    /// <summary>`git status --porcelain`: one line per changed path, empty when the tree is clean.</summary>
    public async Task<IReadOnlyList<string>> StatusAsync() =>
        (await GitAsync("status", "--porcelain", "--untracked-files=all")).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

    /// <summary>Runs the upgrade command the app ships, as its README says to.</summary>
    public Task<ProcessResult> UpgradeAsync(params string[] arguments) =>
        Dotnet.RunAsync(Directory, Dotnet.BuildTimeout, log, environment: null, ["run", "scripts/upgrade.cs", "--", .. arguments]);

    private async Task<ProcessResult> GitAsync(params string[] arguments)
    {
        var result = await Dotnet.RunProgramAsync("git", arguments, Directory, Dotnet.ShortTimeout, log);
        Assert.True(result.Succeeded, $"{result.Describe()}\n{result.Tail()}");
        return result;
    }
}
