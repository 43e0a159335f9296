namespace SaasStarter.Benchmarks;

/// <summary>
/// A page to measure, as the owner of the big workspace sees it, and a piece of its HTML that proves it rendered the
/// seeded data (checked once before timing). To measure a page of your own, add a line to <see cref="All"/>.
/// </summary>
public sealed record TenantPage(string Name, string Path, string Expect)
{
    private const string Big = "/t/" + BenchSeed.BigTenantSlug;

    public static IReadOnlyList<TenantPage> All { get; } =
    [
        new("members", Big + "/members", $"{BenchSeed.BigTenantMembers} members"),
        new("members, search", $"{Big}/members?q={BenchSeed.MemberSearch}", $"{BenchSeed.MemberSearchMatches} members"),
        new("dashboard", Big, $"id=\"tenant-member-count\">{BenchSeed.BigTenantMembers}<"),
    ];

    // The name BenchmarkDotNet shows in its Page column.
    public override string ToString() => Name;
}
