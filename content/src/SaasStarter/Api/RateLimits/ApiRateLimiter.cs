using System.Threading.RateLimiting;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// The API's token buckets: one per key and one per workspace (shared by its keys), and one per IP address for calls
/// without a valid key, so those can never drain a workspace's. Buckets live in partitioned limiters, which refill them on
/// one heartbeat and drop the ones that have been full and idle for a while (a dropped bucket comes back full, as it was).
/// They live in this instance's memory: each replica of the app counts on its own.
/// </summary>
public sealed class ApiRateLimiter : IAsyncDisposable
{
    private readonly IApiRateLimits limits;
    private readonly RateLimit anonymous;
    private readonly PartitionedRateLimiter<ApiClient.Key> perKey;
    private readonly PartitionedRateLimiter<ApiClient.Key> perTenant;
    private readonly PartitionedRateLimiter<ApiClient.Anonymous> perAddress;

    public ApiRateLimiter(IApiRateLimits limits, ApiLimitSettings settings)
    {
        this.limits = limits;
        anonymous = settings.RateLimits.Anonymous;
        // Keyed by the plan too: a bucket keeps the options it was made with, so a workspace on a new plan needs new buckets
        // (they start full; the old ones are dropped once idle).
        perKey = PartitionedRateLimiter.Create<ApiClient.Key, (Guid, string?)>(key =>
            RateLimitPartition.GetTokenBucketLimiter((key.KeyId, key.PlanId), _ => LimitsOf(key).PerKey.BucketOptions()));
        perTenant = PartitionedRateLimiter.Create<ApiClient.Key, (Guid, string?)>(key =>
            RateLimitPartition.GetTokenBucketLimiter((key.TenantId, key.PlanId), _ => LimitsOf(key).PerTenant.BucketOptions()));
        perAddress = PartitionedRateLimiter.Create<ApiClient.Anonymous, string>(caller =>
            RateLimitPartition.GetTokenBucketLimiter(caller.Address, _ => anonymous.BucketOptions()), StringComparer.Ordinal);
    }

    /// <summary>Permits (one a request) for <paramref name="client"/>, or a <see cref="Refusal"/> naming the empty bucket.</summary>
    public RateLimitLease Acquire(ApiClient client, int permits = 1) => client switch
    {
        ApiClient.Key key => AcquireForKey(key, permits),
        ApiClient.Anonymous caller => Checked(perAddress.AttemptAcquire(caller, permits), Refusal.Bucket.Address),
        _ => throw new ArgumentOutOfRangeException(nameof(client)),
    };

    // Not PartitionedRateLimiter.CreateChained: a token bucket cannot give a token back, so a chain that takes the key's
    // token and is then refused by the workspace's costs the key a request it never made (two, as the middleware tries
    // again). Looking at the workspace's bucket first makes that refusal free, but for a race. (Asking it for zero permits
    // is no test: buckets refill continuously, and a fraction of a token answers yes.)
    private RateLimitLease AcquireForKey(ApiClient.Key key, int permits)
    {
        if (perTenant.GetStatistics(key)?.CurrentAvailablePermits < permits)
        {
            return new Refusal(Refusal.Bucket.Tenant, LimitsOf(key).PerTenant.Period);
        }
        var fromKey = perKey.AttemptAcquire(key, permits);
        if (!fromKey.IsAcquired) return Checked(fromKey, Refusal.Bucket.Key);
        var fromTenant = perTenant.AttemptAcquire(key, permits);
        if (!fromTenant.IsAcquired) return Checked(fromTenant, Refusal.Bucket.Tenant);
        fromTenant.Dispose(); // a token bucket's lease holds nothing to give back: the key's stands for both
        return fromKey;
    }

    private static RateLimitLease Checked(RateLimitLease lease, Refusal.Bucket bucket)
    {
        if (lease.IsAcquired) return lease;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        lease.Dispose();
        return new Refusal(bucket, retryAfter);
    }

    /// <summary>
    /// What the <c>RateLimit-*</c> headers report to <paramref name="client"/>: of its buckets, the one closest to running
    /// out (the key's, or the workspace's when the other keys have left it less), as the IETF draft asks.
    /// </summary>
    public RateLimitStatus Status(ApiClient client) => Buckets(client).MinBy(bucket => bucket.Remaining)!;

    /// <summary>The buckets <paramref name="client"/> draws on, its own first (a key's, then its workspace's).</summary>
    public IReadOnlyList<RateLimitStatus> Buckets(ApiClient client)
    {
        switch (client)
        {
            case ApiClient.Key key:
                var tenantLimits = LimitsOf(key);
                return [RateLimitStatus.Of(tenantLimits.PerKey, perKey.GetStatistics(key)), RateLimitStatus.Of(tenantLimits.PerTenant, perTenant.GetStatistics(key))];
            case ApiClient.Anonymous caller:
                return [RateLimitStatus.Of(anonymous, perAddress.GetStatistics(caller))];
            default:
                throw new ArgumentOutOfRangeException(nameof(client));
        }
    }

    private TenantRateLimits LimitsOf(ApiClient.Key key) => limits.For(key.TenantId, key.PlanId);

    public async ValueTask DisposeAsync()
    {
        await perKey.DisposeAsync();
        await perTenant.DisposeAsync();
        await perAddress.DisposeAsync();
    }
}

/// <summary>A bucket as a client sees it: its size, what is left, and whole seconds until it is full again.</summary>
public sealed record RateLimitStatus(int Limit, long Remaining, int ResetSeconds)
{
    public static RateLimitStatus Of(RateLimit limit, RateLimiterStatistics? statistics)
    {
        var remaining = Math.Clamp(statistics?.CurrentAvailablePermits ?? limit.Burst, 0, limit.Burst);
        return new(limit.Burst, remaining, limit.SecondsUntilFull(remaining));
    }
}

/// <summary>A request refused for lack of tokens: which bucket was empty, and how long until it holds one again.</summary>
public sealed class Refusal(Refusal.Bucket bucket, TimeSpan retryAfter) : RateLimitLease
{
    /// <summary>
    /// The bucket that was empty; <see cref="FailedKeys"/> is <see cref="FailedKeyLimiter"/>'s, whose refusals come from
    /// the key handler rather than from the rate-limiting middleware.
    /// </summary>
    public enum Bucket { Key, Tenant, Address, FailedKeys }

    public Bucket EmptyBucket { get; } = bucket;

    public TimeSpan RetryAfter { get; } = retryAfter;

    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName == MetadataName.RetryAfter.Name ? RetryAfter : null;
        return metadata is not null;
    }
}
