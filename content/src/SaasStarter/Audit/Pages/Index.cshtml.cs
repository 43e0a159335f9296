using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Audit.Pages;

/// <summary>The tenant's audit log, newest first, filtered by action and actor; read-only by design.</summary>
[RequirePermission(AuditPermissions.Read)]
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
    public int PageCount { get; private set; } = 1;
    public CurrentTenant Tenant => tenant.Tenant!;

    public async Task OnGetAsync()
    {
        // The tenant's query filter already limits this to its own events.
        var found = await db.AuditEvents.AsNoTracking().Matching(EventType, Actor).NewestFirst().ToPageAsync(PageNumber, PageSize);
        (Events, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
    }
}
