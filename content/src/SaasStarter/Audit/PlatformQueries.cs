using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Audit;

/// <summary>The audit log's one query across tenants (<c>IgnoreQueryFilters</c> is allowed only in files named PlatformQueries.cs).</summary>
internal static class PlatformQueries
{
    /// <summary>
    /// The audit events of every tenant (or of the tenant at <paramref name="tenantSlug"/>), each with its tenant's
    /// address joined in SQL, newest first: the operator's platform audit view, which answers "what happened across the
    /// installation, and where". <paramref name="narrow"/> filters the events before the join (the audit pages' shared
    /// filters). Inside Tenancy's PlatformBypass, or PostgreSQL's row-level security shows nothing.
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
