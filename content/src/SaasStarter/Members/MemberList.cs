using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Members;

/// <summary>One member of the current tenant, as the members page and the API list them.</summary>
public sealed record MemberEntry(Guid MembershipId, Guid UserId, string Email, TenantRole Role, DateTime JoinedUtc);

public static class MemberList
{
    /// <summary>
    /// The current tenant's members (the tenant's query filter sees to that), optionally those whose email contains
    /// <paramref name="search"/> in any case, by email. The membership id breaks ties, so pages never overlap.
    /// </summary>
    public static IQueryable<MemberEntry> MemberEntries(this AppDbContext db, string? search)
    {
        var members = db.Memberships.Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m, u.Email });
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = Paging.ContainsPattern(search);
            members = members.Where(x => EF.Functions.Like(x.Email!.ToUpper(), pattern));
        }
        return members
            .OrderBy(x => x.Email).ThenBy(x => x.m.Id)
            .Select(x => new MemberEntry(x.m.Id, x.m.UserId, x.Email ?? "", x.m.Role, x.m.CreatedAtUtc));
    }
}
