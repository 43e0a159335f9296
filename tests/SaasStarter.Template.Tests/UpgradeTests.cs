using System.Text.RegularExpressions;

namespace SaasStarter.Template.Tests;

/// <summary>
/// A generated app's scripts/upgrade.cs, end to end: an app generated with the package as it is, changed and extended
/// by its team, upgraded to a release packed here (one file changed, one added, one deleted; in the first test also a
/// line the team changed too). The app is the name variant, so the recorded name and the renamed paths are exercised.
/// </summary>
[Collection(TemplateCollection.Name)]
public sealed partial class UpgradeTests(TemplateFixture fixture, ITestOutputHelper output)
{
    private const string Project = "src/My.Shop_2"; // Variant.DottedName's code name
    private const string Program = $"{Project}/Program.cs";
    private const string TeamModule = $"{Project}/Inventory/InventoryModule.cs";
    private const string TeamTitle = "# My.Shop-2, the Acme team's shop";
    private const string TemplateNews = $"{Project}/TemplateNews.cs";
    private const string TemplateHealthLine = "app.MapHealth(); // before the API: a health probe never waits behind it";

    [Fact]
    public async Task Upgrade_keeps_the_team_s_changes_brings_the_template_s_and_marks_the_line_both_changed()
    {
        var version = TemplateRelease.NextMinor(TemplateIdentity.Read(fixture.RepoRoot).Version);
        var release = await TemplateRelease.PackAsync(fixture, version, repo =>
        {
            ChangeAddAndDeleteFiles(repo);
            LineEdits.Replace(Path.Combine(repo, "content/README.md"), "# SaasStarter", "# SaasStarter, made with saas-starter");
        }, output);

        // Both versions come from the team's feed (the default --from is the recorded version): a NuGet.config
        // above the app that knows only a folder with the two packages.
        var scenario = fixture.NewTempDirectory("upgrade-conflict");
        var feed = Directory.CreateDirectory(Path.Combine(scenario, "feed")).FullName;
        File.Copy(fixture.PackagePath, Path.Combine(feed, Path.GetFileName(fixture.PackagePath)));
        File.Copy(release, Path.Combine(feed, Path.GetFileName(release)));
        File.WriteAllText(Path.Combine(scenario, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="team" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var app = await TeamAppWithChangesAsync(Path.Combine(scenario, "app"));
        var teamModule = File.ReadAllText(app.FullPath(TeamModule));

        // A dirty tree is refused and left as it was.
        File.WriteAllText(app.FullPath("notes.txt"), "half-done work\n");
        var refused = await app.UpgradeAsync("--to", version);
        Assert.True(refused.ExitCode == 2, $"{refused.Describe()}\n{refused.Output}");
        Assert.Contains("uncommitted changes", refused.Output);
        Assert.Equal(["?? notes.txt"], await app.StatusAsync());
        File.Delete(app.FullPath("notes.txt"));

        var upgrade = await app.UpgradeAsync("--to", version);
        output.WriteLine(upgrade.Output);
        Assert.True(upgrade.ExitCode == 1, $"A conflict exits 1: {upgrade.Describe()}\n{upgrade.Output}");
        AssertSummary(upgrade, conflicts: ["README.md"]);
        AssertTemplateChangesArrived(app, version);
        Assert.Equal(teamModule, File.ReadAllText(app.FullPath(TeamModule)));

        var readme = File.ReadAllText(app.FullPath("README.md"));
        Assert.Matches($@"<<<<<<< yours\n{Regex.Escape(TeamTitle)}\n=======\n# My\.Shop_2, made with saas-starter\n>>>>>>> template {Regex.Escape(version)}\n", readme);
        Assert.Equal(
            [" D .dockerignore", " M .saas-starter.json", " M README.md", $" M {Program}", $"?? {TemplateNews}"],
            await app.StatusAsync());
    }

    [Fact]
    public async Task Conflict_free_upgrade_brings_the_template_s_changes_and_the_app_builds_and_passes_its_tests()
    {
        var version = TemplateRelease.NextMinor(TemplateIdentity.Read(fixture.RepoRoot).Version);
        var release = await TemplateRelease.PackAsync(fixture, version, ChangeAddAndDeleteFiles, output);
        var app = await TeamAppWithChangesAsync(fixture.NewTempDirectory("upgrade-clean"));

        var dryRun = await app.UpgradeAsync("--from", fixture.PackagePath, "--to", release, "--dry-run");
        Assert.True(dryRun.ExitCode == 0, $"{dryRun.Describe()}\n{dryRun.Output}");
        AssertSummary(dryRun, conflicts: []);
        Assert.Contains("Dry run: nothing was changed.", dryRun.Output);
        Assert.Empty(await app.StatusAsync());

        var upgrade = await app.UpgradeAsync("--from", fixture.PackagePath, "--to", release);
        output.WriteLine(upgrade.Output);
        Assert.True(upgrade.ExitCode == 0, $"{upgrade.Describe()}\n{upgrade.Output}");
        AssertSummary(upgrade, conflicts: []);
        AssertTemplateChangesArrived(app, version);
        Assert.StartsWith(TeamTitle + "\n", File.ReadAllText(app.FullPath("README.md")));

        // Mandatory: the merged solution builds with warnings as errors. Then a fast slice of its tests: the health and
        // API tests start the whole app in process through the merged Program.cs (the team's module registered, the
        // template's line in place) and migrate a fresh database, which is what a bad merge would break.
        await Dotnet.RunCheckedAsync(app.Directory, Dotnet.BuildTimeout, output, "build", "My.Shop_2.slnx", "-warnaserror");
        var test = await Dotnet.RunCheckedAsync(app.Directory, Dotnet.TestTimeout, output,
            "test", "My.Shop_2.slnx", "--no-build", "--filter", "FullyQualifiedName~HealthAndApiTests");
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+[1-9]", test.Output);
    }

    /// <summary>The release's edits: a line the team leaves alone, a new file, a deleted file.</summary>
    private static void ChangeAddAndDeleteFiles(string repo)
    {
        LineEdits.Replace(Path.Combine(repo, "content/src/SaasStarter/Program.cs"), "app.MapHealth();", TemplateHealthLine);
        File.WriteAllText(Path.Combine(repo, "content/src/SaasStarter/TemplateNews.cs"), """
            namespace SaasStarter;

            /// <summary>A file the new template version adds.</summary>
            public static class TemplateNews
            {
                public const string Headline = "Upgrades keep your changes";
            }

            """);
        File.Delete(Path.Combine(repo, "content/dockerignore"));
    }

    /// <summary>The app as a team makes it its own: a module of its own, registered in Program.cs, and its own README title.</summary>
    private async Task<TeamApp> TeamAppWithChangesAsync(string directory)
    {
        var app = await TeamApp.GenerateAsync(fixture, Variant.DottedName, directory, output);
        Directory.CreateDirectory(Path.GetDirectoryName(app.FullPath(TeamModule))!);
        File.WriteAllText(app.FullPath(TeamModule), """
            namespace My.Shop_2.Inventory;

            /// <summary>The team's own module: one folder and one line in Program.cs.</summary>
            public static class InventoryModule
            {
                public static WebApplicationBuilder AddInventory(this WebApplicationBuilder builder)
                {
                    builder.Services.AddSingleton<StockLevels>();
                    return builder;
                }
            }

            public sealed class StockLevels
            {
                public int OnHand(string sku) => sku.Length;
            }

            """);
        var program = app.FullPath(Program);
        File.WriteAllText(program, "using My.Shop_2.Inventory;\n" + File.ReadAllText(program));
        LineEdits.InsertBefore(program, "var app = builder.Build();", "builder.AddInventory();");
        LineEdits.Replace(app.FullPath("README.md"), "# My.Shop_2", TeamTitle);
        await app.CommitAsync("Inventory module");
        return app;
    }

    private static void AssertTemplateChangesArrived(TeamApp app, string version)
    {
        var program = File.ReadAllText(app.FullPath(Program));
        Assert.StartsWith("using My.Shop_2.Inventory;\n", program);
        Assert.Contains("builder.AddInventory();\n", program);
        Assert.Contains(TemplateHealthLine + "\n", program);
        Assert.Contains("namespace My.Shop_2;", File.ReadAllText(app.FullPath(TemplateNews)));
        Assert.False(File.Exists(app.FullPath(".dockerignore")), ".dockerignore should be gone: the new version deleted it");

        var recording = TemplateIdentity.ReadRecording(app.Directory);
        Assert.Equal(version, (string?)recording["version"]);
        Assert.Equal("My.Shop-2", (string?)recording["options"]!["name"]);
        Assert.Equal("sqlite", (string?)recording["options"]!["db"]);
    }

    /// <summary>
    /// Exactly these files are listed, under these words: files neither side changed are never touched, which also
    /// shows that regenerating a version with the recorded options gives back the team's starting point.
    /// </summary>
    private static void AssertSummary(ProcessResult upgrade, IReadOnlyList<string> conflicts)
    {
        var listed = SummaryLine().Matches(upgrade.Output).Select(m => $"{m.Groups["kind"].Value} {m.Groups["path"].Value}")
            .Order(StringComparer.Ordinal).ToList();
        var expected = new[] { "updated .saas-starter.json", $"added {TemplateNews}", "deleted .dockerignore", $"merged {Program}" }
            .Concat(conflicts.Select(path => $"conflict {path}")).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(listed), $"Expected:\n{string.Join('\n', expected)}\nListed:\n{upgrade.Output}");
        Assert.Contains($"1 updated, 1 added, 1 deleted, 1 merged, {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}.", upgrade.Output);
    }

    [GeneratedRegex(@"^  (?<kind>updated|added|deleted|merged|conflict) +(?<path>\S+?)(?::.*)?$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
