using SaasStarter.Plans;

namespace SaasStarter.Features;

/// <summary>Where a tenant's value of a flag comes from, strongest first.</summary>
public enum FeatureSource
{
    Operator,
    Owner,
    Plan,
    Default,
}

/// <summary>
/// The precedence rule, in one place: an operator override, else an owner's switch (only on flags owners may switch),
/// else the plan (when it names the flag), else <see cref="FeatureSource.Default"/>: the flag's configured rules,
/// evaluated by the library (targeting, rollout percentages, time windows), or its declared default. <see cref="Forced"/>
/// is null only then.
/// </summary>
public sealed record FeatureDecision(bool? Forced, FeatureSource Source)
{
    public static FeatureDecision Of(FeatureFlag feature, Plan plan, TenantOverrides overrides)
    {
        if (overrides.Operator.TryGetValue(feature.Name, out var byOperator)) return new(byOperator, FeatureSource.Operator);
        if (feature.OwnerToggleable && overrides.Owner.TryGetValue(feature.Name, out var byOwner)) return new(byOwner, FeatureSource.Owner);
        if (plan.Features.TryGetValue(feature.Name, out var byPlan)) return new(byPlan, FeatureSource.Plan);
        return new(null, FeatureSource.Default);
    }
}
