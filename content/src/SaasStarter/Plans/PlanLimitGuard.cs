using System.Globalization;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Plans;

/// <summary>
/// The point-of-use check of the current tenant's count limits: a <see cref="Outcome.PlanLimit"/> that names the limit and
/// the plan when one more would go past it, else null. Callers check before writing, so a refused action writes nothing,
/// and inside a <see cref="LimitLock"/>, so two actions at once cannot both pass at N-1.
/// </summary>
public sealed class PlanLimitGuard(ITenantContext tenant, PlanCatalog plans, TenantUsage usage)
{
    public async Task<Outcome?> RefuseAsync(string limitName, CancellationToken cancellationToken = default)
    {
        var limit = plans.FindLimit(limitName) ?? throw new InvalidOperationException($"No module declares the plan limit '{limitName}'.");
        var plan = plans.Of(tenant.Tenant?.PlanId);
        if (plan.Limit(limit.Name) is not { } allowed || await usage.OfAsync(limit, cancellationToken) < allowed) return null;
        return Outcome.PlanLimit($"The {plan.Name} plan allows {allowed.ToString("N0", CultureInfo.InvariantCulture)} {limit.Unit}." + (limit.WhenReached is { } advice ? " " + advice : ""));
    }
}
