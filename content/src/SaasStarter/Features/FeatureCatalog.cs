using SaasStarter.Core;
using SaasStarter.Plans;

namespace SaasStarter.Features;

/// <summary>
/// A flag a module gates on, declared by that module (<see cref="FeatureDeclarations.AddFeatureFlag"/>). Without rules of its
/// own under <c>feature_management</c> it is simply on or off (<see cref="OnByDefault"/>); plans, an owner's switch (only
/// when <see cref="OwnerToggleable"/>) and the operator's override decide above that (<see cref="FeatureDecision"/>).
/// </summary>
public sealed record FeatureFlag(string Name, string Description, bool OnByDefault = false, bool OwnerToggleable = false);

public static class FeatureDeclarations
{
    public static WebApplicationBuilder AddFeatureFlag(this WebApplicationBuilder builder, FeatureFlag flag)
    {
        builder.Services.AddSingleton(flag);
        return builder;
    }
}

/// <summary>
/// Every flag the modules declared. Configuration may give a flag rules in Microsoft's feature management schema
/// (<c>feature_management:feature_flags</c>: targeting, rollouts, time windows), and plans name the flags they decide; both
/// are checked against the declarations at start-up, so a typo there stops the app with one line instead of silently
/// switching nothing.
/// </summary>
public sealed class FeatureCatalog
{
    public const string Section = "feature_management:feature_flags";

    private readonly Dictionary<string, FeatureFlag> byName;

    public FeatureCatalog(IEnumerable<FeatureFlag> declared, IConfiguration config, PlanCatalog plans)
    {
        All = [.. declared.OrderBy(f => f.Name, StringComparer.Ordinal)];
        if (All.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"The feature flag '{twice.Key}' is declared twice.");
        }
        byName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

        foreach (var flag in config.GetSection(Section).GetChildren())
        {
            var id = flag["id"];
            if (string.IsNullOrWhiteSpace(id)) throw new ConfigurationError($"{flag.Path}:id", "every feature flag needs an id.");
            if (Find(id) is null) throw new ConfigurationError($"{flag.Path}:id", $"no module declares a flag '{id}' ({Names}).");
        }
        for (var index = 0; index < plans.All.Count; index++)
        {
            if (plans.All[index].Features.Keys.FirstOrDefault(name => Find(name) is null) is { } unknown)
            {
                throw new ConfigurationError($"{PlanCatalog.Section}:Catalog:{index}:Features:{unknown}", $"no module declares a flag '{unknown}' ({Names}).");
            }
        }
    }

    public IReadOnlyList<FeatureFlag> All { get; }

    public FeatureFlag? Find(string name) => byName.GetValueOrDefault(name);

    private string Names => string.Join(", ", All.Select(f => f.Name));
}
