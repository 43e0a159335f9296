using SaasStarter.Plans;

namespace SaasStarter.Api.RateLimits;

/// <summary>The rates a workspace's API keys get: each key's own bucket, and the bucket all of them share.</summary>
public sealed record TenantRateLimits(RateLimit PerKey, RateLimit PerTenant);

/// <summary>
/// Where a workspace's API rate limits come from (<see cref="PlanApiRateLimits"/>; a test may register another). Asked
/// when a bucket is created and when a response reports its limits, synchronously, so it has to answer from memory:
/// the plan comes with the caller (<see cref="ApiClient.Key.PlanId"/>), from the key's cached copy of its workspace.
/// </summary>
public interface IApiRateLimits
{
    /// <param name="planId">The workspace's plan; null is the default plan.</param>
    TenantRateLimits For(Guid tenantId, string? planId);
}

/// <summary>
/// Each plan's <c>ApiRequestsPerMinute</c> as the refill rate of the workspace's bucket, with no key refilling faster;
/// the bursts stay those of <c>Api:RateLimits</c>, cut down to the plan's rate (a minute's worth) when larger. A plan
/// without the limit keeps <c>Api:RateLimits</c> as configured. Worked out once per plan, at start-up.
/// </summary>
internal sealed class PlanApiRateLimits : IApiRateLimits
{
    private readonly Dictionary<string, TenantRateLimits> byPlan;
    private readonly TenantRateLimits ofDefault;

    public PlanApiRateLimits(ApiLimitSettings settings, PlanCatalog plans)
    {
        byPlan = plans.All.ToDictionary(p => p.Id, p => Of(p.Limit(ApiModule.RequestsPerMinuteLimit), settings), StringComparer.Ordinal);
        ofDefault = byPlan[plans.Default.Id];
    }

    public TenantRateLimits For(Guid tenantId, string? planId) =>
        planId is not null && byPlan.TryGetValue(planId, out var limits) ? limits : ofDefault;

    /// <param name="requestsPerMinute">The plan's limit; null: none.</param>
    internal static TenantRateLimits Of(int? requestsPerMinute, ApiLimitSettings settings)
    {
        if (requestsPerMinute is not { } rate) return new(settings.RateLimits.PerKey, settings.RateLimits.PerTenant);
        return new(
            new RateLimit(Math.Min(settings.RateLimits.PerKey.PermitsPerMinute, rate), Math.Min(settings.RateLimits.PerKey.Burst, rate)),
            new RateLimit(rate, Math.Min(settings.RateLimits.PerTenant.Burst, rate)));
    }
}
