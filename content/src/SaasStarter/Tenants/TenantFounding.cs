using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants;

/// <summary>
/// Creates a tenant with its first Owner in one transaction: there is never a tenant nobody owns, and a sign-up
/// that fails half-way leaves neither a user nor a tenant behind.
/// </summary>
public sealed class TenantFounding(AppDbContext db, TenantContext context, AuditLog audit)
{
    /// <summary>Null problems when a workspace could be created with this name and slug (it may still lose a race).</summary>
    public async Task<(string? NameProblem, string? SlugProblem)> CheckAsync(string? name, string? slug)
    {
        name = name?.Trim() ?? "";
        slug = slug?.Trim() ?? "";
        var nameProblem = TenantSlug.NameProblem(name);
        var slugProblem = TenantSlug.Problem(slug);
        if (slugProblem is null && (await db.Tenants.AnyAsync(t => t.Slug == slug) || await db.TenantSlugAliases.AnyAsync(a => a.Slug == slug)))
        {
            slugProblem = Taken(slug);
        }
        return (nameProblem, slugProblem);
    }

    /// <summary>A workspace owned by an existing user. A refusal is Invalid, naming the field ("name" or "slug").</summary>
    public Task<Outcome<CurrentTenant>> CreateAsync(string? name, string? slug, Guid ownerId) =>
        CreateAsync(name, slug, () => Task.FromResult<Guid?>(ownerId));

    /// <summary>
    /// A workspace whose owner <paramref name="createOwner"/> makes inside the same transaction (sign-up); when it
    /// returns null (it could not), everything is rolled back, the outcome is Refused and the caller reports why. Forms
    /// that show every field's problem at once call <see cref="CheckAsync"/> first.
    /// </summary>
    public async Task<Outcome<CurrentTenant>> CreateAsync(string? name, string? slug, Func<Task<Guid?>> createOwner)
    {
        var (nameProblem, slugProblem) = await CheckAsync(name, slug);
        if (nameProblem is not null) return Outcome<CurrentTenant>.From(Outcome.Invalid("name", nameProblem));
        if (slugProblem is not null) return Outcome<CurrentTenant>.From(Outcome.Invalid("slug", slugProblem));

        var tenant = new Tenant { Name = name!.Trim(), Slug = slug!.Trim() };
        var current = CurrentTenant.Of(tenant);
        // Entered before the transaction opens its connection: on PostgreSQL the connection's tenant setting is
        // made when it opens, and the owner's membership must pass the row-level security check.
        context.Enter(current);
        await using var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            if (await createOwner() is not { } ownerId)
            {
                await transaction.RollbackAsync();
                return Outcome<CurrentTenant>.From(Outcome.Refused("The workspace's owner could not be created."));
            }
            db.Tenants.Add(tenant);
            db.Memberships.Add(new Membership { UserId = ownerId, Role = TenantRole.Owner });
            audit.Add(TenantAudit.Created, tenant.Slug, new { tenant.Name }, actorUserId: ownerId);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        catch (DbUpdateException)
        {
            // Most likely the unique slug index lost a race with another sign-up: a form error, not a 500.
            await transaction.RollbackAsync();
            db.ChangeTracker.Clear();
            if (!await db.Tenants.AnyAsync(t => t.Slug == tenant.Slug)) throw;
            return Outcome<CurrentTenant>.From(Outcome.Invalid("slug", Taken(tenant.Slug)));
        }
        return current;
    }

    private static string Taken(string slug) => $"'{slug}' is taken; choose another.";
}
