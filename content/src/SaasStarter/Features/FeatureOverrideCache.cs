using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace SaasStarter.Features;

/// <summary>
/// Each tenant's overrides, kept in memory so that evaluating a flag in steady state asks the database nothing.
/// Whoever changes an override calls <see cref="Forget"/> after saving, so the next request on this instance sees it; other
/// instances see it when their entry expires (<c>Features:CacheSeconds</c>, 30 by default).
/// </summary>
public sealed class FeatureOverrideCache(IMemoryCache cache, FeatureCacheSettings settings)
{
    private readonly TimeSpan lifetime = TimeSpan.FromSeconds(settings.CacheSeconds);

    // Bumped by Forget: a load that read the database before a Forget does not keep what it read.
    private readonly ConcurrentDictionary<Guid, long> generations = new();

    public TimeSpan Lifetime => lifetime;

    public async ValueTask<TenantOverrides> GetAsync(Guid tenantId, Func<Task<TenantOverrides>> load)
    {
        if (cache.TryGetValue(Key(tenantId), out TenantOverrides? known) && known is not null) return known;

        var generation = generations.GetValueOrDefault(tenantId);
        var loaded = await load();
        if (lifetime > TimeSpan.Zero)
        {
            cache.Set(Key(tenantId), loaded, lifetime);
            if (generations.GetValueOrDefault(tenantId) != generation) cache.Remove(Key(tenantId));
        }
        return loaded;
    }

    public void Forget(Guid tenantId)
    {
        generations.AddOrUpdate(tenantId, 1, (_, n) => n + 1);
        cache.Remove(Key(tenantId));
    }

    private static string Key(Guid tenantId) => $"feature-overrides:{tenantId:N}";
}
