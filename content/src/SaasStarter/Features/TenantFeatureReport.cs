using Microsoft.FeatureManagement;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Features;

/// <summary>
/// A tenant's plan, every flag's effective value with where it comes from, and its usage of the plan's count limits: what
/// the operator's page, the owner's plan page and <c>GET /api/v1/features</c> show. Scoped: it reads the tenant its scope
/// acts for, through the same feature manager every gate uses, so what it says is what the tenant gets. For another
/// tenant (the operator's), <see cref="OfAsync"/> reads it from a scope of its own that acts for that tenant.
/// </summary>
public sealed class TenantFeatureReport(ITenantContext tenant, FeatureCatalog catalog, TenantFeatures features,
    IFeatureManagerSnapshot manager, ConfigurationFeatureDefinitionProvider configured, TenantUsage usage)
{
    private const string AlwaysOn = "AlwaysOn";

    /// <summary>
    /// One flag: <see cref="Enabled"/> as the library evaluates it; <see cref="Source"/> the rule that decided; when that is
    /// the configured default, <see cref="Rules"/> names the filters that decided it (e.g. Microsoft.Targeting), if any.
    /// The switches are listed whether or not they decide (an owner's switch of a flag owners may not switch is ignored).
    /// </summary>
    public sealed record Row(FeatureFlag Feature, bool Enabled, FeatureSource Source, IReadOnlyList<string> Rules, bool? OperatorOverride, bool? OwnerSwitch);

    /// <summary><see cref="Used"/>: each count limit's usage by limit name (every declared one, limited by the plan or not).</summary>
    public sealed record Report(Plan Plan, IReadOnlyList<Row> Features, IReadOnlyList<PlanLimit> Limits, IReadOnlyDictionary<string, int> Used);

    /// <summary>The report of the tenant this scope acts for.</summary>
    public async Task<Report> ReadAsync(CancellationToken cancellationToken = default)
    {
        var current = tenant.Tenant ?? throw new InvalidOperationException("A feature report needs a tenant.");
        var overrides = await features.OverridesAsync(current);
        var rows = new List<Row>(catalog.All.Count);
        foreach (var feature in catalog.All)
        {
            var decision = await features.DecideAsync(feature.Name) ?? throw new InvalidOperationException($"No decision for '{feature.Name}'.");
            rows.Add(new Row(feature,
                await manager.IsEnabledAsync(feature.Name),
                decision.Source,
                decision.Source == FeatureSource.Default ? await RulesAsync(feature.Name) : [],
                overrides.Operator.TryGetValue(feature.Name, out var byOperator) ? byOperator : null,
                overrides.Owner.TryGetValue(feature.Name, out var byOwner) ? byOwner : null));
        }
        return new Report(features.Plan, rows, [.. usage.Limits], await usage.AllAsync(cancellationToken));
    }

    /// <summary>The report of <paramref name="tenant"/>, read in a scope that acts for it (not the caller's own).</summary>
    public static async Task<Report> OfAsync(IServiceScopeFactory scopes, Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(tenant));
        return await scope.ServiceProvider.GetRequiredService<TenantFeatureReport>().ReadAsync(cancellationToken);
    }

    /// <summary>The filters of the flag's configured definition ("always on" is no rule worth naming).</summary>
    private async Task<IReadOnlyList<string>> RulesAsync(string feature) =>
        await configured.GetFeatureDefinitionAsync(feature) is { EnabledFor: { } filters }
            ? [.. filters.Select(f => f.Name).Where(n => !string.Equals(n, AlwaysOn, StringComparison.OrdinalIgnoreCase)).Distinct()]
            : [];
}
