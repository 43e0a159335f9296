using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;

namespace SaasStarter.Pages.Shared;

public static class AuditFilters
{
    /// <summary>
    /// The filters both audit pages offer, the tenant's and the platform's: one action (exactly) and part of the
    /// actor's email (any case). Blank means no filter.
    /// </summary>
    public static IQueryable<AuditEvent> Matching(this IQueryable<AuditEvent> events, string? action, string? actor)
    {
        if (!string.IsNullOrWhiteSpace(action)) events = events.Where(e => e.Action == action);
        if (!string.IsNullOrWhiteSpace(actor))
        {
            var pattern = Paging.ContainsPattern(actor);
            events = events.Where(e => e.ActorEmail != null && EF.Functions.Like(e.ActorEmail.ToUpper(), pattern));
        }
        return events;
    }
}
