using System.Globalization;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// The API's limits, read and checked once at start-up. <c>Api:RateLimits:PerKey</c> and <c>Api:RateLimits:PerTenant</c>
/// are the token buckets of each API key and of each workspace (all its keys together); <c>Api:RateLimits:Anonymous</c> the
/// bucket of each client IP address calling without a valid key; <c>Api:RateLimits:FailedKeys</c> the bucket of each client
/// IP address for presented keys that were refused (<see cref="FailedKeyLimiter"/>); <c>Api:MaxRequestBodyBytes</c> the
/// largest request body.
/// </summary>
public sealed record ApiLimitSettings(RateLimit PerKey, RateLimit PerTenant, RateLimit Anonymous, RateLimit FailedKeys, long MaxRequestBodyBytes)
{
    public static readonly RateLimit DefaultPerKey = new(PermitsPerMinute: 600, Burst: 100);
    public static readonly RateLimit DefaultPerTenant = new(PermitsPerMinute: 1200, Burst: 200);
    public static readonly RateLimit DefaultAnonymous = new(PermitsPerMinute: 60, Burst: 30);

    // A person fixing a pasted key gets a few tries at once, then one every 6 seconds; a guesser gets nowhere.
    public static readonly RateLimit DefaultFailedKeys = new(PermitsPerMinute: 10, Burst: 5);

    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    private const long MaxBodyBytes = 1024L * 1024 * 1024;

    public static ApiLimitSettings Read(IConfiguration config) => new(
        RateLimit.Read(config, "Api:RateLimits:PerKey", DefaultPerKey),
        RateLimit.Read(config, "Api:RateLimits:PerTenant", DefaultPerTenant),
        RateLimit.Read(config, "Api:RateLimits:Anonymous", DefaultAnonymous),
        RateLimit.Read(config, "Api:RateLimits:FailedKeys", DefaultFailedKeys),
        ReadWhole(config, "Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes, MaxBodyBytes));

    /// <summary>The whole number at <paramref name="key"/> from 1 to <paramref name="max"/>, or the default when unset.</summary>
    internal static long ReadWhole(IConfiguration config, string key, long fallback, long max)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
            ? value
            : throw new ConfigurationError(key, $"must be a whole number from 1 to {max}, not '{text}'.");
    }
}

/// <summary>
/// A token bucket: it holds up to <see cref="Burst"/> requests and refills at <see cref="PermitsPerMinute"/>, so a client
/// may send a burst at once and then keeps the average rate.
/// </summary>
public sealed record RateLimit(int PermitsPerMinute, int Burst)
{
    private const int MaxPermitsPerMinute = 1_000_000;
    private const int MaxBurst = 1_000_000;

    public static RateLimit Read(IConfiguration config, string section, RateLimit fallback) => new(
        (int)ApiLimitSettings.ReadWhole(config, $"{section}:PermitsPerMinute", fallback.PermitsPerMinute, MaxPermitsPerMinute),
        (int)ApiLimitSettings.ReadWhole(config, $"{section}:Burst", fallback.Burst, MaxBurst));

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
