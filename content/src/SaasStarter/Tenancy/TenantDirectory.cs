using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>Tenants by slug, cached: every /t/{slug} request looks one up. Whoever changes a tenant calls <see cref="Forget"/>.</summary>
public sealed class TenantDirectory(IMemoryCache cache, IServiceScopeFactory scopes)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<CurrentTenant?> FindAsync(string slug)
    {
        if (cache.TryGetValue(Key(slug), out CurrentTenant? known)) return known;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug);
        var found = tenant is null ? null : CurrentTenant.Of(tenant);
        // Unknown slugs are not cached: a tenant created a moment later must resolve at once.
        if (found is not null) cache.Set(Key(slug), found, Lifetime);
        return found;
    }

    public void Forget(string slug) => cache.Remove(Key(slug));

    private static string Key(string slug) => "tenant-slug:" + slug;
}
