using System.Collections.Concurrent;
using Microsoft.FeatureManagement;

namespace SaasStarter.Features;

/// <summary>
/// The feature manager's definitions, per workspace (scoped, like the manager): where an operator override, an owner's
/// switch or the plan decides a flag, a definition that is simply on or off; otherwise the configured definition
/// unchanged, which the library evaluates with its own filters against <see cref="WorkspaceTargeting"/>. So the tag
/// helper, [FeatureGate] and every IFeatureManager call see the merged value.
/// </summary>
public sealed class WorkspaceFeatureDefinitions(ConfigurationFeatureDefinitionProvider configured, WorkspaceFeatures workspace)
    : IFeatureDefinitionProvider
{
    private const string AlwaysOn = "AlwaysOn";
    private static readonly ConcurrentDictionary<(string, bool), FeatureDefinition> Fixed = new();

    public async Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName)
    {
        var definition = await configured.GetFeatureDefinitionAsync(featureName);
        if (definition is null) return definition!;
        return await workspace.DecideAsync(definition.Name) is { Forced: { } on } ? FixedAt(definition.Name, on) : definition;
    }

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        await foreach (var definition in configured.GetAllFeatureDefinitionsAsync())
        {
            yield return await workspace.DecideAsync(definition.Name) is { Forced: { } on } ? FixedAt(definition.Name, on) : definition;
        }
    }

    private static FeatureDefinition FixedAt(string name, bool on) => Fixed.GetOrAdd((name, on), key => new FeatureDefinition
    {
        Name = key.Item1,
        EnabledFor = key.Item2 ? [new FeatureFilterConfiguration { Name = AlwaysOn }] : [],
        Status = key.Item2 ? FeatureStatus.Conditional : FeatureStatus.Disabled,
    });
}
