using System.Collections.Concurrent;
using Microsoft.FeatureManagement;

namespace SaasStarter.Features;

/// <summary>
/// The feature manager's definitions, per tenant (scoped, like the manager): where an operator override, an owner's
/// switch or the plan decides a flag, a definition that is simply on or off; otherwise the flag's configured definition
/// (evaluated by the library with its own filters against <see cref="TenantTargeting"/>), or, for a flag with no rules in
/// configuration, its declared default. So the tag helper, [FeatureGate] and every IFeatureManager call see the merged value.
/// </summary>
public sealed class TenantFeatureDefinitions(ConfigurationFeatureDefinitionProvider configured, FeatureCatalog catalog, TenantFeatures tenant)
    : IFeatureDefinitionProvider
{
    private const string AlwaysOn = "AlwaysOn";
    private static readonly ConcurrentDictionary<(string, bool), FeatureDefinition> Fixed = new();

    public async Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
    {
        if (catalog.Find(featureName) is not { } flag) return null!;
        if (await tenant.DecideAsync(flag.Name) is { Forced: { } on }) return FixedAt(flag.Name, on);
        return await configured.GetFeatureDefinitionAsync(flag.Name) ?? FixedAt(flag.Name, flag.OnByDefault);
    }

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        foreach (var flag in catalog.All) yield return await GetFeatureDefinitionAsync(flag.Name);
    }

    private static FeatureDefinition FixedAt(string name, bool on) => Fixed.GetOrAdd((name, on), key => new FeatureDefinition
    {
        Name = key.Item1,
        EnabledFor = key.Item2 ? [new FeatureFilterConfiguration { Name = AlwaysOn }] : [],
        Status = key.Item2 ? FeatureStatus.Conditional : FeatureStatus.Disabled,
    });
}
