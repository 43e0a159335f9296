using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// A token bucket per client IP address (<c>Api:RateLimits:FailedKeys</c>) for presented API keys that were refused:
/// malformed, unknown, wrong secret, revoked, expired, creator gone. Only a refusal takes a token, so valid keys never
/// spend it; once it is empty, <see cref="Keys.ApiKeyAuthentication"/> answers that address's keys with 429 and looks
/// none up. Its own bucket, not the anonymous one: it is charged by outcome (refusals) rather than by request, guessing
/// must be far slower than honest calls without a key, and neither should spend the other's allowance. In this instance's
/// memory, like the other buckets.
/// </summary>
public sealed class FailedKeyLimiter : IAsyncDisposable
{
    private readonly RateLimit limit;
    private readonly PartitionedRateLimiter<string> perAddress;

    // Lookups of keys under way per address. Each may end in a refusal, so together they may not outnumber the tokens
    // left: otherwise a burst of concurrent guesses would all reach the database before the first refusal was counted.
    private readonly ConcurrentDictionary<string, UnderWay> lookups = new(StringComparer.Ordinal);

    public FailedKeyLimiter(ApiLimitSettings settings)
    {
        limit = settings.RateLimits.FailedKeys;
        perAddress = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetTokenBucketLimiter(address, _ => limit.BucketOptions()), StringComparer.Ordinal);
    }

    /// <summary>
    /// Room for one lookup of a key from <paramref name="address"/> (dispose it once a refusal is counted), or null when the
    /// address has used up its refusals. While every token left is spoken for by a lookup under way, it waits for one of
    /// those to end: a valid key's ends without spending a token, so honest bursts are only delayed, never refused.
    /// </summary>
    public async ValueTask<IDisposable?> StartLookupAsync(string address, CancellationToken cancellationToken)
    {
        while (true)
        {
            var underWay = lookups.GetOrAdd(address, _ => new UnderWay());
            Task ended;
            lock (underWay)
            {
                if (underWay.Gone) continue; // its last lookup ended just now: take the address's new entry
                var available = Available(address);
                if (available < 1) return null;
                if (underWay.Count < available)
                {
                    underWay.Count++;
                    return new Lookup(this, address, underWay);
                }
                ended = underWay.Ended.Task;
            }
            await ended.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Counts a refused key against <paramref name="address"/>: null while it had a token, else the 429's refusal.</summary>
    public Refusal? Refuse(string address)
    {
        using var lease = perAddress.AttemptAcquire(address);
        if (lease.IsAcquired) return null;
        return new Refusal(Refusal.Bucket.FailedKeys, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Period);
    }

    /// <summary>The refusal for an address with no tokens to spare: a token comes back within one period.</summary>
    public Refusal Exhausted() => new(Refusal.Bucket.FailedKeys, limit.Period);

    /// <summary>The address's bucket for the <c>RateLimit-*</c> headers of its 429.</summary>
    public RateLimitStatus Status(string address) => RateLimitStatus.Of(limit, perAddress.GetStatistics(address));

    private long Available(string address) => perAddress.GetStatistics(address)?.CurrentAvailablePermits ?? 0;

    private void EndLookup(string address, UnderWay underWay)
    {
        lock (underWay)
        {
            underWay.Count--;
            if (underWay.Count == 0)
            {
                underWay.Gone = true;
                lookups.TryRemove(KeyValuePair.Create(address, underWay));
            }
            var ended = underWay.Ended;
            underWay.Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
            ended.SetResult();
        }
    }

    /// <summary>An address's lookups under way, and a signal for those waiting when one of them ends.</summary>
    private sealed class UnderWay
    {
        public int Count;
        public bool Gone;
        public TaskCompletionSource Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lookup(FailedKeyLimiter owner, string address, UnderWay underWay) : IDisposable
    {
        private int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0) owner.EndLookup(address, underWay);
        }
    }

    public ValueTask DisposeAsync() => perAddress.DisposeAsync();
}
