namespace SaasStarter.Features;

/// <summary>A workspace's overrides, by flag name: what <see cref="FeatureOverrideCache"/> keeps.</summary>
public sealed record WorkspaceOverrides(IReadOnlyDictionary<string, bool> Operator, IReadOnlyDictionary<string, bool> Owner)
{
    public static WorkspaceOverrides Of(IEnumerable<FeatureOverride> rows)
    {
        var list = rows.ToList();
        return new(
            list.Where(o => o.Source == FeatureOverrideSource.Operator).ToDictionary(o => o.Feature, o => o.Enabled, StringComparer.Ordinal),
            list.Where(o => o.Source == FeatureOverrideSource.Owner).ToDictionary(o => o.Feature, o => o.Enabled, StringComparer.Ordinal));
    }
}
