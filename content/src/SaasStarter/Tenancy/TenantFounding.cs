using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>Creates a tenant with its first Owner, in one save: there is never a tenant nobody owns.</summary>
public sealed class TenantFounding(AppDbContext db, TenantContext context)
{
    public sealed record Result(CurrentTenant? Tenant, string? NameProblem, string? SlugProblem)
    {
        public bool Succeeded => Tenant is not null;
    }

    public async Task<Result> CreateAsync(string? name, string? slug, Guid ownerId)
    {
        name = name?.Trim() ?? "";
        slug = slug?.Trim() ?? "";
        var nameProblem = name.Length switch
        {
            0 => "Give the workspace a name.",
            > TenantSlug.MaxNameLength => $"Use at most {TenantSlug.MaxNameLength} characters.",
            _ => null,
        };
        var slugProblem = TenantSlug.Problem(slug);
        if (slugProblem is null && await db.Tenants.AnyAsync(t => t.Slug == slug))
        {
            slugProblem = $"'{slug}' is taken; choose another.";
        }
        if (nameProblem is not null || slugProblem is not null) return new(null, nameProblem, slugProblem);

        var tenant = new Tenant { Name = name, Slug = slug };
        db.Tenants.Add(tenant);
        var current = CurrentTenant.Of(tenant);
        context.Enter(current); // the owner's membership is the new tenant's first row
        db.Memberships.Add(new Membership { UserId = ownerId, Role = TenantRole.Owner });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // The unique index lost a race with another sign-up for the same slug: a form error, not a 500.
            if (!await SlugTakenMeanwhileAsync(slug)) throw;
            return new(null, null, $"'{slug}' is taken; choose another.");
        }
        return new(current, null, null);
    }

    private async Task<bool> SlugTakenMeanwhileAsync(string slug)
    {
        db.ChangeTracker.Clear();
        return await db.Tenants.AnyAsync(t => t.Slug == slug);
    }
}
