namespace SaasStarter.Api.RateLimits;

/// <summary>The rates a workspace's API keys get: each key's own bucket, and the bucket all of them share.</summary>
public sealed record TenantRateLimits(RateLimit PerKey, RateLimit PerTenant);

/// <summary>
/// Where a workspace's API rate limits come from. Today every workspace gets <c>Api:RateLimits</c>; plans can give each
/// their own by registering another implementation. Asked when a bucket is created and when a response reports its
/// limits, synchronously, so it has to answer from memory. A changed answer applies to a bucket once it has refilled
/// and been idle for a few seconds (that is when the limiter drops it).
/// </summary>
public interface IApiRateLimits
{
    TenantRateLimits For(Guid tenantId);
}

/// <summary>The same limits, from configuration, for every workspace.</summary>
internal sealed class ConfiguredApiRateLimits(ApiLimitSettings settings) : IApiRateLimits
{
    private readonly TenantRateLimits limits = new(settings.PerKey, settings.PerTenant);

    public TenantRateLimits For(Guid tenantId) => limits;
}
