using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Operator.Pages;

/// <summary>
/// The platform audit view: every tenant's audit events, newest first, 50 a page, filtered by tenant address,
/// action and actor; and the operator's latest actions on the platform itself (<see cref="OperatorAction"/>). Two queries a page (the count and the rows, each with the tenant's address joined in), across
/// tenants, so inside the audited <see cref="PlatformBypass"/>.
/// </summary>
public sealed class AuditModel(AppDbContext db, PlatformBypass bypass, UserManager<AppUser> users) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "tenant")]
    public string? TenantSlug { get; set; }

    // Not "action" nor "page": both are reserved route values (as on the tenant's own audit page).
    [BindProperty(SupportsGet = true, Name = "type")]
    public string? EventType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>How many of the operator's own platform actions the page lists (newest first, unfiltered).</summary>
    public const int OperatorActionCount = 20;

    public IReadOnlyList<PlatformAuditEntry> Events { get; private set; } = [];
    public IReadOnlyList<OperatorAction> OperatorActions { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;

    public async Task OnGetAsync()
    {
        // Addresses are lower case; an operator may type one as it appears anywhere.
        var slug = string.IsNullOrWhiteSpace(TenantSlug) ? null : TenantSlug.Trim().ToLowerInvariant();
        PageOf<PlatformAuditEntry> found;
        using (bypass.Begin("operator: platform audit view", users.OperatorId(User)))
        {
            found = await db.AuditEventsOfAllTenants(slug, events => events.Matching(EventType, Actor))
                .ToPageAsync(PageNumber, PageSize, HttpContext.RequestAborted);
        }
        (Events, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
        OperatorActions = await db.OperatorActions.AsNoTracking().OrderByDescending(a => a.OccurredAtUtc)
            .Take(OperatorActionCount).ToListAsync(HttpContext.RequestAborted);
    }
}
