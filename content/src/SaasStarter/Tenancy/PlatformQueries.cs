using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.ApiKeys;
using SaasStarter.Data;
using SaasStarter.Members.Invitations;

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

    /// <summary>
    /// The API key with this public id, in whichever tenant: authenticating an API request, which names no tenant but
    /// its key. On PostgreSQL a connection may read (not write) only the key whose public id it presents as
    /// <c>app.api_key</c>.
    /// </summary>
    public static IQueryable<ApiKey> ApiKeyByPublicId(this AppDbContext db, string publicId)
    {
        db.ApiKeyPublicId = publicId;
        return db.ApiKeys.IgnoreQueryFilters([TenantIsolation.FilterName]).Where(k => k.PublicId == publicId);
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

    /// <summary>
    /// The audit events of every tenant (or of the tenant at <paramref name="tenantSlug"/>), each with its tenant's
    /// address joined in SQL, newest first: the operator's platform audit view, which answers "what happened
    /// across the installation, and where". <paramref name="narrow"/> filters the events before the join (the audit
    /// pages' shared filters). Inside <see cref="PlatformBypass"/>, or PostgreSQL's row-level security shows nothing.
    /// </summary>
    public static IQueryable<PlatformAuditEntry> AuditEventsOfAllTenants(this AppDbContext db, string? tenantSlug,
        Func<IQueryable<AuditEvent>, IQueryable<AuditEvent>> narrow)
    {
        var tenants = tenantSlug is null ? db.Tenants : db.Tenants.Where(t => t.Slug == tenantSlug);
        return narrow(db.AuditEvents.IgnoreQueryFilters([TenantIsolation.FilterName]))
            .Join(tenants, e => e.TenantId, t => t.Id, (e, t) => new { Event = e, t.Slug })
            .OrderByDescending(x => x.Event.OccurredAtUtc).ThenByDescending(x => x.Event.Id)
            .Select(x => new PlatformAuditEntry(x.Event.Id, x.Event.TenantId, x.Slug, x.Event.OccurredAtUtc, x.Event.Action,
                x.Event.ActorEmail, x.Event.Target, x.Event.IpAddress, x.Event.Detail));
    }
}
