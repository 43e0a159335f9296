using BenchmarkDotNet.Attributes;

namespace SaasStarter.Benchmarks;

/// <summary>
/// GET of each <see cref="TenantPage"/> by the signed-in owner of the big workspace: the whole request through the
/// app's pipeline (cookie authentication, tenant resolution, the page, its layout) in memory, and the HTML read.
/// </summary>
[MemoryDiagnoser]
public class TenantPagesBenchmarks
{
    public static IEnumerable<TenantPage> Pages => TenantPage.All;

    [ParamsSource(nameof(Pages))]
    public TenantPage Page { get; set; } = null!;

    private HttpClient owner = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var app = await BenchApp.SharedAsync();
        owner = app.Owner;
        // The first request fills what later ones find cached (tenant by slug, data-protection keys), as in steady traffic.
        var html = await GetAsync();
        if (!html.Contains(Page.Expect, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {Page.Path} rendered without \"{Page.Expect}\": not the seeded data.");
        }
        var trace = await app.Sql.RecordAsync(async () => html = await GetAsync());
        SqlReport.Add(Page, trace, html.Length);
    }

    [Benchmark]
    public async Task<int> Render() => (await GetAsync()).Length;

    private async Task<string> GetAsync()
    {
        using var response = await owner.GetAsync(new Uri(Page.Path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        return response.StatusCode == System.Net.HttpStatusCode.OK
            ? html
            : throw new InvalidOperationException($"GET {Page.Path} answered {(int)response.StatusCode}.");
    }
}
