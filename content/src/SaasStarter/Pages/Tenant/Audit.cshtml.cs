using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Tenant;

/// <summary>The tenant's audit log, newest first, filtered by action and actor; read-only by design.</summary>
[RequirePermission(Permissions.AuditRead)]
public sealed class AuditModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    public const int PageSize = 50;

    // Not "action" either: also a reserved route value.
    [BindProperty(SupportsGet = true, Name = "type")]
    public string? EventType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    // Not "page": Razor Pages reserves that route value for the page's own name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public CurrentTenant Tenant => tenant.Tenant!;

    public async Task OnGetAsync()
    {
        // The tenant's query filter already limits this to its own events.
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(EventType)) events = events.Where(e => e.Action == EventType);
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            var pattern = $"%{Actor.Trim().Replace("%", "").Replace("_", "").ToUpperInvariant()}%";
            events = events.Where(e => e.ActorEmail != null && EF.Functions.Like(e.ActorEmail.ToUpper(), pattern));
        }
        Total = await events.CountAsync();
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Events = await events
            .OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .ToListAsync();
    }
}
