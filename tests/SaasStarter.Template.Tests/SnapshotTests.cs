namespace SaasStarter.Template.Tests;

/// <summary>What each option value changes in the generated files, reviewed as text in Snapshots/.</summary>
[Collection(TemplateCollection.Name)]
public sealed class SnapshotTests(TemplateFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Variants => new(Variant.All.Select(v => v.Id));

    [Theory]
    [MemberData(nameof(Variants))]
    public void Generated_files_match_the_snapshot(string variant)
    {
        var all = fixture.AllGenerated;
        var received = Snapshot.Build(Variant.ById(variant), all, Scrubber.ForTemplate(fixture.RepoRoot));
        Snapshot.Verify(fixture.SnapshotDirectory, variant, received, output);
    }
}
