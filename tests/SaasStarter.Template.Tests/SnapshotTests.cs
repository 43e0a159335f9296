namespace SaasStarter.Template.Tests;

/// <summary>What each option value changes in the generated files, reviewed as text in Snapshots/.</summary>
[Collection(TemplateCollection.Name)]
public sealed class SnapshotTests(TemplateFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Variants => new(Variant.All.Select(v => v.Id));

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Generated_files_match_the_snapshot(string id)
    {
        var variant = Variant.ById(id);
        var all = fixture.AllGenerated;
        var snapshot = FolderSnapshot.Build(
            $"# dotnet new {TemplateFixture.ShortName} {string.Join(' ', variant.NewArguments)}",
            all[variant].SnapshotTree, all.Values.Select(g => g.SnapshotTree).ToList(), Scrubber.ForTemplate(fixture.RepoRoot));
        await snapshot.VerifyAsync(fixture.SnapshotDirectory, id, output,
            async () => (await fixture.GeneratedWhenAcceptedAsync(variant, id, output)).SnapshotTree);
    }
}
