using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Features;

/// <summary>
/// The current tenant's <see cref="FeatureDecision"/> for a flag: its plan comes with the tenant (cached by
/// TenantDirectory), its overrides from <see cref="FeatureOverrideCache"/>. No tenant, or a flag not declared: null.
/// </summary>
public sealed class TenantFeatures(ITenantContext tenant, FeatureCatalog features, PlanCatalog plans, FeatureOverrideCache cache, AppDbContext db)
{
    public Plan Plan => plans.Of(tenant.Tenant?.PlanId);

    public async ValueTask<FeatureDecision?> DecideAsync(string feature)
    {
        if (tenant.Tenant is not { } current || features.Find(feature) is not { } flag) return null;
        return FeatureDecision.Of(flag, plans.Of(current.PlanId), await OverridesAsync(current));
    }

    public ValueTask<TenantOverrides> OverridesAsync(CurrentTenant current) =>
        cache.GetAsync(current.Id, async () => TenantOverrides.Of(await db.FeatureOverrides.AsNoTracking().ToListAsync()));
}
