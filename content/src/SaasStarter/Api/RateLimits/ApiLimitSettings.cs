using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// The API's limits from the <c>Api</c> section, read and checked once at start-up: <c>Api:RateLimits</c> holds the token
/// buckets (<see cref="ApiRateLimitSettings"/>), <c>Api:MaxRequestBodyBytes</c> the largest request body.
/// </summary>
public sealed record ApiLimitSettings(
    [property: Range(1, ApiLimitSettings.MaxBodyBytes, ErrorMessage = "must be a whole number from {1} to {2}.")]
    long MaxRequestBodyBytes = ApiLimitSettings.DefaultMaxRequestBodyBytes)
{
    public const string Section = "Api";

    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    private const long MaxBodyBytes = 1024L * 1024 * 1024;

    public ApiRateLimitSettings RateLimits { get; init; } = new();
}

/// <summary>
/// <c>Api:RateLimits</c>: <c>PerKey</c> and <c>PerTenant</c> are the buckets of each API key and of each workspace (all its
/// keys together); <c>Anonymous</c> the bucket of each client IP address calling without a valid key; <c>FailedKeys</c> the
/// bucket of each client IP address for presented keys that were refused (<see cref="FailedKeyLimiter"/>). Setting one
/// number of a bucket keeps the other's default.
/// </summary>
public sealed record ApiRateLimitSettings
{
    // Each a new instance: the binder sets a configured number on the instance it finds here.
    public RateLimit PerKey { get; init; } = new(PermitsPerMinute: 600, Burst: 100);

    public RateLimit PerTenant { get; init; } = new(PermitsPerMinute: 1200, Burst: 200);

    public RateLimit Anonymous { get; init; } = new(PermitsPerMinute: 60, Burst: 30);

    // A person fixing a pasted key gets a few tries at once, then one every 6 seconds; a guesser gets nowhere.
    public RateLimit FailedKeys { get; init; } = new(PermitsPerMinute: 10, Burst: 5);
}

/// <summary>
/// A token bucket: it holds up to <see cref="Burst"/> requests and refills at <see cref="PermitsPerMinute"/>, so a client
/// may send a burst at once and then keeps the average rate.
/// </summary>
public sealed record RateLimit(
    [property: Range(1, 1_000_000, ErrorMessage = "must be a whole number from {1} to {2}.")] int PermitsPerMinute,
    [property: Range(1, 1_000_000, ErrorMessage = "must be a whole number from {1} to {2}.")] int Burst)
{
    // The buckets refill continuously at this rate, but a refused request's Retry-After counts whole periods: so the
    // period is the shortest whole number of seconds (1 to 60) that brings whole tokens. 600/min is 10 every second,
    // 5/min 1 every 12 s, 7/min 7 a minute.
    private int Step => GreatestCommonDivisor(PermitsPerMinute, 60);

    public int TokensPerPeriod => PermitsPerMinute / Step;

    public TimeSpan Period => TimeSpan.FromSeconds(60 / Step);

    public System.Threading.RateLimiting.TokenBucketRateLimiterOptions BucketOptions() => new()
    {
        TokenLimit = Burst,
        TokensPerPeriod = TokensPerPeriod,
        ReplenishmentPeriod = Period,
        QueueLimit = 0, // refused at once, with Retry-After, rather than held while the bucket refills
        AutoReplenishment = false, // the partitioned limiter's heartbeat refills them all, not a timer per bucket
    };

    /// <summary>Whole seconds until a bucket holding <paramref name="available"/> whole tokens is full again (an upper bound).</summary>
    public int SecondsUntilFull(long available)
    {
        var missing = Math.Clamp(Burst - available, 0, Burst);
        return (int)((missing * 60 + PermitsPerMinute - 1) / PermitsPerMinute);
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);
}
