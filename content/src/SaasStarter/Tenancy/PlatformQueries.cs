using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// The short, named list of queries that look across tenants. <c>IgnoreQueryFilters</c> is allowed here and
/// nowhere else (a test fails if it appears in another file); each one says why it must cross tenants.
/// </summary>
internal static class PlatformQueries
{
    /// <summary>A user's own memberships in every tenant: resolving /t/{slug} and listing the user's workspaces.</summary>
    /// <remarks>
    /// On PostgreSQL the row-level security policy lets a connection read (not write) the memberships of the user in
    /// <c>app.user_id</c>; this names that user for the connections the context opens from now on.
    /// </remarks>
    public static IQueryable<Membership> MembershipsOfUser(this AppDbContext db, Guid userId)
    {
        db.MembershipsUserId = userId;
        return db.Memberships.IgnoreQueryFilters([TenantIsolation.FilterName]).Where(m => m.UserId == userId);
    }
}
