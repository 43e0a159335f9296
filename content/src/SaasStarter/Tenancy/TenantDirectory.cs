using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// Tenants by slug, cached: every /t/{slug} request looks one up. Whoever changes a tenant calls <see cref="Forget"/>
/// after saving. The cache is per process: another instance of the app sees the change when its entry expires.
/// </summary>
public sealed class TenantDirectory(IMemoryCache cache, IServiceScopeFactory scopes)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    // Bumped by Forget: a lookup that read the database before a Forget does not cache what it read, so a
    // suspension is never undone by a request that was reading the tenant at that moment.
    private readonly ConcurrentDictionary<string, long> generations = new(StringComparer.Ordinal);

    public async Task<CurrentTenant?> FindAsync(string slug)
    {
        if (cache.TryGetValue(Key(slug), out CurrentTenant? known)) return known;

        var generation = generations.GetValueOrDefault(slug);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug);
        var found = tenant is null ? null : CurrentTenant.Of(tenant);
        // Unknown slugs are not cached: a tenant created a moment later must resolve at once.
        if (found is not null)
        {
            cache.Set(Key(slug), found, Lifetime);
            // Checked after setting, so a Forget that ran at any point since the read takes the entry out again.
            if (generations.GetValueOrDefault(slug) != generation) cache.Remove(Key(slug));
        }
        return found;
    }

    /// <summary>The tenant that used to have <paramref name="slug"/>, with its current address; not cached (rare).</summary>
    public async Task<CurrentTenant?> FindRenamedAsync(string slug)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tenant = await db.TenantSlugAliases.Where(a => a.Slug == slug)
            .Join(db.Tenants, a => a.TenantId, t => t.Id, (a, t) => t)
            .AsNoTracking()
            .SingleOrDefaultAsync();
        return tenant is null ? null : CurrentTenant.Of(tenant);
    }

    /// <summary>Raised by <see cref="Forget"/>, for caches that hold copies of tenants (API keys).</summary>
    public event Action? Forgotten;

    public void Forget(string slug)
    {
        generations.AddOrUpdate(slug, 1, (_, n) => n + 1);
        cache.Remove(Key(slug));
        Forgotten?.Invoke();
    }

    private static string Key(string slug) => "tenant-slug:" + slug;
}
