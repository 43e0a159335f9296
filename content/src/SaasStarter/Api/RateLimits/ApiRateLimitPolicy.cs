using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SaasStarter.Api.Keys;

using SaasStarter.Core;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// The rate-limiting middleware's policy for the API group: each request counts against the <see cref="ApiClient"/> that
/// <see cref="ApiLimitsModule.UseApiLimits"/> identified, in <see cref="ApiRateLimiter"/>'s buckets; a refusal is a 429
/// problem with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimitPolicy(ApiRateLimiter limiter) : IRateLimiterPolicy<ApiClient>
{
    public const string Name = "api";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = RejectAsync;

    public RateLimitPartition<ApiClient> GetPartition(HttpContext httpContext)
    {
        var client = httpContext.Features.Get<ApiClient>()
            ?? throw new InvalidOperationException($"The '{Name}' rate limit policy needs the caller identified first (UseApiLimits does).");
        return RateLimitPartition.Get(client, c => new ClientLimiter(limiter, c));
    }

    private static ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken) =>
        WriteRefusalAsync(context.HttpContext, context.Lease);

    /// <summary>The 429 problem with <c>Retry-After</c> for a refused <paramref name="lease"/>, naming the empty bucket.</summary>
    public static async ValueTask WriteRefusalAsync(HttpContext http, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var who = (lease as Refusal)?.EmptyBucket switch
        {
            Refusal.Bucket.Key => "This API key has used up its requests",
            Refusal.Bucket.Tenant => "The workspace's API keys together have used up their requests",
            Refusal.Bucket.Address => "Calls without a valid API key from this address have used up their requests",
            Refusal.Bucket.FailedKeys => "Requests with a refused API key from this address have used up their attempts",
            _ => "Too many requests were made",
        };
        await ApiProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"{who} for now; retry after {seconds} second{(seconds == 1 ? "" : "s")}. The RateLimit-* headers of each response say what is left.",
            ProblemTypes.RateLimited);
    }

    /// <summary>
    /// What the middleware keeps per client: no tokens of its own, it asks the shared buckets. It reports itself idle
    /// from its last use, so the middleware drops it after a quiet spell and makes a new one on the next request.
    /// </summary>
    private sealed class ClientLimiter(ApiRateLimiter limiter, ApiClient client) : RateLimiter
    {
        private long lastUsed = Stopwatch.GetTimestamp();

        public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref lastUsed));

        public override RateLimiterStatistics? GetStatistics()
        {
            var status = limiter.Status(client);
            return new RateLimiterStatistics { CurrentAvailablePermits = status.Remaining };
        }

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Interlocked.Exchange(ref lastUsed, Stopwatch.GetTimestamp());
            return limiter.Acquire(client, permitCount);
        }

        // The buckets never queue, so waiting is trying again.
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }
}
