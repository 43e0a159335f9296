using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Admin;

/// <summary>
/// One tenant as the platform operator sees it, with suspend and reactivate. Suspending is a platform change (the
/// tenant row is platform data, outside row-level security); its effect reaches the tenant's members through
/// <see cref="TenantDirectory"/>, which is told to forget the tenant, and TenantResolution, which then refuses them.
/// </summary>
public sealed class TenantModel(AppDbContext db, PlatformBypass bypass, TenantDirectory directory, UserManager<AppUser> users,
    ILogger<TenantModel> logger) : PageModel
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
        using (bypass.Begin("operator: tenant detail", OperatorId()))
        {
            MemberCount = (await db.MemberCountsByTenantAsync([id], HttpContext.RequestAborted)).GetValueOrDefault(id);
            OwnerEmails = await db.OwnerEmailsOfTenantAsync(id, HttpContext.RequestAborted);
        }
        return Page();
    }

    public Task<IActionResult> OnPostSuspendAsync(Guid id) => SetSuspendedAsync(id, DateTime.UtcNow);

    public Task<IActionResult> OnPostReactivateAsync(Guid id) => SetSuspendedAsync(id, null);

    /// <summary>One conditional UPDATE: idempotent, and two operators pressing at once change the tenant once.</summary>
    private async Task<IActionResult> SetSuspendedAsync(Guid id, DateTime? suspendedAtUtc)
    {
        var slug = await db.Tenants.Where(t => t.Id == id).Select(t => t.Slug).SingleOrDefaultAsync(HttpContext.RequestAborted);
        if (slug is null) return NotFound();
        var suspend = suspendedAtUtc is not null;
        var tenant = db.Tenants.Where(t => t.Id == id);
        tenant = suspend ? tenant.Where(t => t.SuspendedAtUtc == null) : tenant.Where(t => t.SuspendedAtUtc != null);
        var changed = await tenant.ExecuteUpdateAsync(s => s.SetProperty(t => t.SuspendedAtUtc, suspendedAtUtc), HttpContext.RequestAborted);
        directory.Forget(slug);
        var action = suspend ? "suspended" : "reactivated";
        if (changed > 0)
        {
            logger.LogInformation("Platform operator {OperatorId} {OperatorAction} tenant {TenantId} ({TenantSlug})",
                OperatorId(), action, id, slug);
            Notice = $"Tenant {action}.";
        }
        else
        {
            Notice = $"Tenant was already {action}.";
        }
        return RedirectToPage(new { id });
    }

    private Guid? OperatorId() => Guid.TryParse(users.GetUserId(User), out var id) ? id : null;
}
