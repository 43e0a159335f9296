using Microsoft.FeatureManagement;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Features;

/// <summary>
/// A workspace's plan, every flag's effective value with where it comes from, and its usage of the plan's limits: what
/// the operator's page and <c>GET /api/v1/features</c> show. Scoped: it reads the workspace its scope acts for, through
/// the same feature manager every gate uses, so what it says is what the workspace gets. For another workspace (the
/// operator's), <see cref="OfAsync"/> reads it from a scope of its own that acts for that workspace.
/// </summary>
public sealed class WorkspaceFeatureReport(ITenantContext tenant, FeatureCatalog catalog, WorkspaceFeatures workspace,
    IFeatureManagerSnapshot manager, ConfigurationFeatureDefinitionProvider configured, WorkspaceUsage usage)
{
    private const string AlwaysOn = "AlwaysOn";

    /// <summary>
    /// One flag: <see cref="Enabled"/> as the library evaluates it; <see cref="Source"/> the rule that decided; when that is
    /// the configured default, <see cref="Rules"/> names the filters that decided it (e.g. Microsoft.Targeting), if any.
    /// The switches are listed whether or not they decide (an owner's switch of a flag owners may not switch is ignored).
    /// </summary>
    public sealed record Row(FeatureInfo Feature, bool Enabled, FeatureSource Source, IReadOnlyList<string> Rules, bool? OperatorOverride, bool? OwnerSwitch);

    /// <summary>Seats count members and invitations still waiting, as the limit does.</summary>
    public sealed record Usage(int Seats, int Projects);

    public sealed record Report(Plan Plan, IReadOnlyList<Row> Features, Usage Usage);

    /// <summary>The report of the workspace this scope acts for.</summary>
    public async Task<Report> ReadAsync(CancellationToken cancellationToken = default)
    {
        var current = tenant.Tenant ?? throw new InvalidOperationException("A feature report needs a workspace.");
        var overrides = await workspace.OverridesAsync(current);
        var rows = new List<Row>(catalog.All.Count);
        foreach (var feature in catalog.All)
        {
            var decision = await workspace.DecideAsync(feature.Name) ?? throw new InvalidOperationException($"No decision for '{feature.Name}'.");
            rows.Add(new Row(feature,
                await manager.IsEnabledAsync(feature.Name),
                decision.Source,
                decision.Source == FeatureSource.Default ? await RulesAsync(feature.Name) : [],
                overrides.Operator.TryGetValue(feature.Name, out var byOperator) ? byOperator : null,
                overrides.Owner.TryGetValue(feature.Name, out var byOwner) ? byOwner : null));
        }
        return new Report(workspace.Plan, rows,
            new Usage(await usage.SeatsAsync(cancellationToken), await usage.ProjectsAsync(cancellationToken)));
    }

    /// <summary>The report of <paramref name="workspace"/>, read in a scope that acts for it (not the caller's own).</summary>
    public static async Task<Report> OfAsync(IServiceScopeFactory scopes, Tenant workspace, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(workspace));
        return await scope.ServiceProvider.GetRequiredService<WorkspaceFeatureReport>().ReadAsync(cancellationToken);
    }

    /// <summary>The filters of the flag's configured definition ("always on" is no rule worth naming).</summary>
    private async Task<IReadOnlyList<string>> RulesAsync(string feature) =>
        await configured.GetFeatureDefinitionAsync(feature) is { EnabledFor: { } filters }
            ? [.. filters.Select(f => f.Name).Where(n => !string.Equals(n, AlwaysOn, StringComparison.OrdinalIgnoreCase)).Distinct()]
            : [];
}
