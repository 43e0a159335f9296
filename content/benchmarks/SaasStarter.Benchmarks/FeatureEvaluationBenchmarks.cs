using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Api;
using SaasStarter.Projects;

namespace SaasStarter.Benchmarks;

/// <summary>
/// One flag check, three ways, for a flag of each kind (<see cref="Flag"/>: Api is on by configuration alone,
/// ProjectBoard goes through the library's targeting filter, ProjectExport is decided by the plan):
/// <list type="bullet">
/// <item><c>RawLibrary</c>: Microsoft.FeatureManagement as its README sets it up, a singleton manager over the app's
/// configuration with a fixed targeting context: no workspaces, no plans, no overrides. The baseline.</item>
/// <item><c>App</c>: the app's scoped manager inside a request that already checked a flag: plan, overrides (cached) and
/// configuration merged per workspace.</item>
/// <item><c>AppFirstInRequest</c>: the same check as the first of a request: a new scope, so the scoped manager, its
/// definition provider and targeting are created for it.</item>
/// </list>
/// All in the owner's workspace of the seeded app, whose overrides are cached after the first check (no query).
/// </summary>
[MemoryDiagnoser]
public class FeatureEvaluationBenchmarks
{
    [Params(ApiModule.Feature, ProjectFeatures.Board, ProjectFeatures.Export)]
    public string Flag { get; set; } = "";

    private IServiceProvider services = null!;
    private IServiceScope request = null!;
    private IFeatureManager app = null!;
    private IFeatureManager raw = null!;
    private CurrentTenant workspace = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        services = (await BenchApp.SharedAsync()).Services;
        workspace = await services.GetRequiredService<TenantDirectory>().FindAsync(BenchSeed.BigTenantSlug)
            ?? throw new InvalidOperationException("The seeded workspace is missing.");
        request = Enter(services.CreateScope());
        app = request.ServiceProvider.GetRequiredService<IFeatureManager>();

        var library = new ServiceCollection()
            .AddSingleton(services.GetRequiredService<IConfiguration>())
            .AddLogging()
            .AddSingleton<ITargetingContextAccessor>(new FixedTargeting(new TargetingContext
            {
                UserId = workspace.Id.ToString(),
                Groups = [TenantTargeting.WorkspaceGroupPrefix + workspace.Slug, TenantTargeting.PlanGroupPrefix + "free"],
            }));
        library.AddFeatureManagement().WithTargeting<FixedTargeting>();
        raw = library.BuildServiceProvider().GetRequiredService<IFeatureManager>();

        // Both agree, and the workspace's overrides are now cached.
        if (await app.IsEnabledAsync(Flag) != await AppFirstInRequest() || (Flag != ProjectFeatures.Export && await raw.IsEnabledAsync(Flag) != await app.IsEnabledAsync(Flag)))
        {
            throw new InvalidOperationException($"The app and the library disagree on {Flag}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => request.Dispose();

    [Benchmark(Baseline = true)]
    public Task<bool> RawLibrary() => raw.IsEnabledAsync(Flag);

    [Benchmark]
    public Task<bool> App() => app.IsEnabledAsync(Flag);

    [Benchmark]
    public async Task<bool> AppFirstInRequest()
    {
        using var scope = Enter(services.CreateScope());
        return await scope.ServiceProvider.GetRequiredService<IFeatureManager>().IsEnabledAsync(Flag);
    }

    private IServiceScope Enter(IServiceScope scope)
    {
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(workspace, TenantRole.Owner);
        return scope;
    }

    private sealed class FixedTargeting(TargetingContext context) : ITargetingContextAccessor
    {
        public ValueTask<TargetingContext> GetContextAsync() => ValueTask.FromResult(context);
    }
}
