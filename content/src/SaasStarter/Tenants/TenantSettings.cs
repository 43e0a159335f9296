using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants;

/// <summary>A tenant's name and address. A new address keeps the old one as an alias, so old links still work.</summary>
public sealed class TenantSettings(AppDbContext db, ITenantContext tenant, TenantDirectory directory, AuditLog audit)
{
    public async Task<string?> RenameAsync(string? name)
    {
        name = name?.Trim() ?? "";
        if (TenantSlug.NameProblem(name) is { } problem) return problem;

        var current = await CurrentAsync();
        if (current.Name == name) return null;
        audit.Add(TenantAudit.SettingsChanged, current.Slug, new { name = new { from = current.Name, to = name } });
        current.Name = name;
        await db.SaveChangesAsync();
        directory.Forget(current.Slug);
        return null;
    }

    /// <summary>Null when the address changed (or stayed), otherwise what is wrong with <paramref name="slug"/>.</summary>
    public async Task<string?> ChangeSlugAsync(string? slug)
    {
        slug = slug?.Trim() ?? "";
        var current = await CurrentAsync();
        if (current.Slug == slug) return null;
        if (TenantSlug.Problem(slug) is { } problem) return problem;
        if (await db.Tenants.AnyAsync(t => t.Slug == slug)
            || await db.TenantSlugAliases.AnyAsync(a => a.Slug == slug && a.TenantId != current.Id))
        {
            return $"'{slug}' is taken; choose another.";
        }

        var old = current.Slug;
        // Taking back one of its own old addresses: that alias is the address again.
        db.TenantSlugAliases.RemoveRange(db.TenantSlugAliases.Where(a => a.Slug == slug && a.TenantId == current.Id));
        db.TenantSlugAliases.Add(new TenantSlugAlias { Slug = old, TenantId = current.Id });
        current.Slug = slug;
        audit.Add(TenantAudit.SettingsChanged, slug, new { slug = new { from = old, to = slug } });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            return $"'{slug}' is taken; choose another.";
        }
        directory.Forget(old);
        directory.Forget(slug);
        return null;
    }

    private Task<Tenant> CurrentAsync() => db.Tenants.SingleAsync(t => t.Id == tenant.Tenant!.Id);
}
