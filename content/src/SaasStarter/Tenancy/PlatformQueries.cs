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
    public static IQueryable<Membership> MembershipsOfUser(this AppDbContext db, Guid userId) =>
        db.Memberships.IgnoreQueryFilters([TenantIsolation.FilterName]).Where(m => m.UserId == userId);
}
