using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// Tenancy's named queries across tenants. <c>IgnoreQueryFilters</c> is allowed only in files named PlatformQueries.cs,
/// one per module that needs one (a test fails otherwise); each query says why it must cross tenants.
/// </summary>
internal static class PlatformQueries
{
    /// <summary>A user's own memberships in every tenant: resolving /t/{slug} and listing the user's tenants.</summary>
    /// <remarks>
    /// On PostgreSQL the row-level security policy lets a connection read (not write) the memberships of the user in
    /// <c>app.user_id</c>; this names that user for the connections the context opens from now on.
    /// </remarks>
    public static IQueryable<Membership> MembershipsOfUser(this AppDbContext db, Guid userId)
    {
        db.MembershipsUserId = userId;
        return db.Memberships.IgnoreQueryFilters([TenantIsolation.FilterName]).Where(m => m.UserId == userId);
    }

    /// <summary>
    /// The number of members of each of <paramref name="tenantIds"/>, in one query: the operator's tenants list.
    /// Run it inside <see cref="PlatformBypass"/>, or PostgreSQL's row-level security counts no one.
    /// </summary>
    public static Task<Dictionary<Guid, int>> MemberCountsByTenantAsync(this AppDbContext db, IReadOnlyCollection<Guid> tenantIds,
        CancellationToken cancellationToken = default) =>
        db.Memberships.IgnoreQueryFilters([TenantIsolation.FilterName])
            .Where(m => tenantIds.Contains(m.TenantId))
            .GroupBy(m => m.TenantId)
            .Select(g => new { TenantId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.TenantId, x => x.Count, cancellationToken);

    /// <summary>The emails of a tenant's owners: the operator's tenant detail (whom to contact). Inside <see cref="PlatformBypass"/>.</summary>
    public static Task<List<string>> OwnerEmailsOfTenantAsync(this AppDbContext db, Guid tenantId,
        CancellationToken cancellationToken = default) =>
        db.Memberships.IgnoreQueryFilters([TenantIsolation.FilterName])
            .Where(m => m.TenantId == tenantId && m.Role == TenantRole.Owner)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email ?? "")
            .OrderBy(email => email)
            .ToListAsync(cancellationToken);
}
