using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Members.Invitations;

namespace SaasStarter.Members;

/// <summary>The members module's one query across tenants (<c>IgnoreQueryFilters</c> is allowed only in files named PlatformQueries.cs).</summary>
internal static class PlatformQueries
{
    /// <summary>
    /// The invitation whose link carries the token with this hash, in whichever tenant: accepting an invitation, whose
    /// holder is not a member yet. On PostgreSQL a connection may read (not write) only the invitation whose hash it
    /// presents as <c>app.invitation_token</c>; this presents it for the connections the context opens from now on.
    /// </summary>
    public static IQueryable<Invitation> InvitationByTokenHash(this AppDbContext db, string tokenHash)
    {
        db.InvitationTokenHash = tokenHash;
        return db.Invitations.IgnoreQueryFilters([TenantIsolation.FilterName]).Where(i => i.TokenHash == tokenHash);
    }
}
