using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.Keys;

/// <summary>
/// Keys by public id, cached for a short while: every API request looks one up. Revoking a key calls
/// <see cref="Forget"/>; a change to members or to a tenant's state (which narrows what keys may do) calls
/// <see cref="ForgetAll"/>. Both take effect at once on this instance; another instance sees the change when its
/// entry expires (30 seconds).
/// </summary>
public sealed class ApiKeyDirectory
{
    private readonly IMemoryCache cache;
    private readonly IServiceScopeFactory scopes;

    public ApiKeyDirectory(IMemoryCache cache, IServiceScopeFactory scopes, TenantDirectory tenants)
    {
        this.cache = cache;
        this.scopes = scopes;
        // A suspended, reactivated or renamed tenant: the keys' copies of it are read afresh.
        tenants.Forgotten += ForgetAll;
    }

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>How long a public id found in the database stays <see cref="Recognises">recognised</see> after its last lookup.</summary>
    public static readonly TimeSpan RecognisedFor = TimeSpan.FromMinutes(10);

    /// <summary>What authenticating a key needs, including its creator's current role in the key's tenant (null: gone).</summary>
    public sealed record KnownKey(Guid Id, string Name, string PublicId, string SecretHash, IReadOnlyList<string> Scopes, DateTime? ExpiresAtUtc,
        bool Revoked, Guid CreatedByUserId, TenantRole? CreatorRole, CurrentTenant Tenant);

    private readonly ConcurrentDictionary<string, long> generations = new(StringComparer.Ordinal);

    // Part of every cache key: ForgetAll moves it on, and the old entries are never read again (they expire).
    private long everything;

    public async Task<KnownKey?> FindAsync(string publicId, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(Key(publicId), out KnownKey? known)) return known;

        var generation = (generations.GetValueOrDefault(publicId), Interlocked.Read(ref everything));
        var cacheKey = Key(publicId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.ApiKeyByPublicId(publicId)
            .Join(db.Tenants, k => k.TenantId, t => t.Id, (k, t) => new { Key = k, Tenant = t })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var creatorRole = await db.MembershipsOfUser(row.Key.CreatedByUserId).Where(m => m.TenantId == row.Key.TenantId)
            .Select(m => (TenantRole?)m.Role).SingleOrDefaultAsync(cancellationToken);
        var k = row.Key;
        known = new KnownKey(k.Id, k.Name, k.PublicId, k.SecretHash, k.ScopeList, k.ExpiresAtUtc, k.RevokedAtUtc is not null,
            k.CreatedByUserId, creatorRole, CurrentTenant.Of(row.Tenant));
        cache.Set(cacheKey, known, Lifetime);
        cache.Set(RecognisedKey(publicId), true, RecognisedFor);
        // Checked after setting, so a Forget that ran at any point since the read takes the entry out again.
        if ((generations.GetValueOrDefault(publicId), Interlocked.Read(ref everything)) != generation) cache.Remove(cacheKey);
        return known;
    }

    /// <summary>
    /// Whether a key with this public id was found on this instance lately (within <see cref="RecognisedFor"/>), whatever it
    /// said. An address that has used up its refused keys may still have these looked up (each at most once per
    /// <see cref="Lifetime"/> unless forgotten sooner), but not ids no one has shown to exist. Existence is all it says,
    /// so <see cref="Forget"/> and <see cref="ForgetAll"/> leave it.
    /// </summary>
    public bool Recognises(string publicId) => cache.TryGetValue(Key(publicId), out _) || cache.TryGetValue(RecognisedKey(publicId), out _);

    public void Forget(string publicId)
    {
        generations.AddOrUpdate(publicId, 1, (_, n) => n + 1);
        cache.Remove(Key(publicId));
    }

    /// <summary>After a member's role changes or they leave, or a tenant is suspended: every key is read afresh.</summary>
    public void ForgetAll() => Interlocked.Increment(ref everything);

    private string Key(string publicId) => $"api-key:{Interlocked.Read(ref everything)}:{publicId}";

    private static string RecognisedKey(string publicId) => $"api-key-recognised:{publicId}";
}
