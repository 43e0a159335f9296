using Microsoft.EntityFrameworkCore;
using SaasStarter.Core;

namespace SaasStarter.Audit;

/// <summary>The audit log's filters and order, one place for the tenant's page, the platform's page and the API.</summary>
public static class AuditFilters
{
    /// <summary>
    /// One action (exactly), part of the actor's email or key label (any case), and events from a moment on
    /// (inclusive; the API's <c>since</c>). Blank or null means no filter.
    /// </summary>
    public static IQueryable<AuditEvent> Matching(this IQueryable<AuditEvent> events, string? action, string? actor, DateTime? sinceUtc = null)
    {
        if (!string.IsNullOrWhiteSpace(action)) events = events.Where(e => e.Action == action);
        if (!string.IsNullOrWhiteSpace(actor))
        {
            var pattern = Paging.ContainsPattern(actor);
            events = events.Where(e => e.ActorEmail != null && EF.Functions.Like(e.ActorEmail.ToUpper(), pattern));
        }
        if (sinceUtc is { } since) events = events.Where(e => e.OccurredAtUtc >= since);
        return events;
    }

    /// <summary>Newest first; the id (time-ordered too) settles events of the same instant, so pages never overlap.</summary>
    public static IOrderedQueryable<AuditEvent> NewestFirst(this IQueryable<AuditEvent> events) =>
        events.OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Id);
}
