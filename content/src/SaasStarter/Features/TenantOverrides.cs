namespace SaasStarter.Features;

/// <summary>A tenant's overrides, by flag name: what <see cref="FeatureOverrideCache"/> keeps.</summary>
public sealed record TenantOverrides(IReadOnlyDictionary<string, bool> Operator, IReadOnlyDictionary<string, bool> Owner)
{
    public static TenantOverrides Of(IEnumerable<FeatureOverride> rows)
    {
        var list = rows.ToList();
        return new(
            list.Where(o => o.Source == FeatureOverrideSource.Operator).ToDictionary(o => o.Feature, o => o.Enabled, StringComparer.Ordinal),
            list.Where(o => o.Source == FeatureOverrideSource.Owner).ToDictionary(o => o.Feature, o => o.Enabled, StringComparer.Ordinal));
    }
}
