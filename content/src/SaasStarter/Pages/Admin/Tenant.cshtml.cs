using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Admin;

/// <summary>
/// One tenant as the platform operator sees it, with suspend and reactivate (<see cref="TenantSuspension"/>, which
/// records each in the tenant's audit log) and a link to the tenant's events in the platform audit view.
/// </summary>
public sealed class TenantModel(AppDbContext db, PlatformBypass bypass, TenantSuspension suspension, UserManager<AppUser> users)
    : PageModel
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public DateTime CreatedAtUtc { get; private set; }
    public DateTime? SuspendedAtUtc { get; private set; }
    public int MemberCount { get; private set; }
    public IReadOnlyList<string> OwnerEmails { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, HttpContext.RequestAborted);
        if (tenant is null) return NotFound();
        (Id, Name, Slug, CreatedAtUtc, SuspendedAtUtc) = (tenant.Id, tenant.Name, tenant.Slug, tenant.CreatedAtUtc, tenant.SuspendedAtUtc);
        using (bypass.Begin("operator: tenant detail", users.OperatorId(User)))
        {
            MemberCount = (await db.MemberCountsByTenantAsync([id], HttpContext.RequestAborted)).GetValueOrDefault(id);
            OwnerEmails = await db.OwnerEmailsOfTenantAsync(id, HttpContext.RequestAborted);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSuspendAsync(Guid id) =>
        Answer(id, await suspension.SetAsync(id, suspend: true, HttpContext.RequestAborted), "suspended");

    public async Task<IActionResult> OnPostReactivateAsync(Guid id) =>
        Answer(id, await suspension.SetAsync(id, suspend: false, HttpContext.RequestAborted), "reactivated");

    private IActionResult Answer(Guid id, TenantSuspension.Outcome outcome, string action)
    {
        if (outcome == TenantSuspension.Outcome.NotFound) return NotFound();
        Notice = outcome == TenantSuspension.Outcome.Changed ? $"Tenant {action}." : $"Tenant was already {action}.";
        return RedirectToPage(new { id });
    }
}
