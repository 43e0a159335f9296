using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.FeatureManagement;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Members;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants.Pages;

/// <summary>
/// The workspace's own job runs (tenant.settings), newest first, and "run now" for the jobs its owners may run
/// (<see cref="JobDefinition.TenantTriggerable"/>), audited in its log. Runs are not tenant-owned rows, so this page reads
/// them only through <see cref="JobHistory.OfTenant"/>.
/// </summary>
[RequirePermission(TenantPermissions.Settings)]
public sealed class JobsModel(AppDbContext db, ITenantContext tenant, JobCatalog catalog, JobControl control, AuditLog audit,
    IFeatureManagerSnapshot flags) : PageModel
{
    public const int PageSize = 25;

    /// <summary>A job this workspace may run now, and whether its feature is on here.</summary>
    public sealed record Runnable(JobDefinition Definition, bool Available);

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public CurrentTenant Tenant => tenant.Tenant!;
    public IReadOnlyList<Runnable> Jobs { get; private set; } = [];
    public IReadOnlyList<JobRun> Runs { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;

    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? Problem { get; set; }

    public async Task OnGetAsync()
    {
        var jobs = new List<Runnable>();
        foreach (var job in catalog.All.Where(j => j is { PerTenant: true, TenantTriggerable: true }))
        {
            jobs.Add(new Runnable(job, await AvailableAsync(job)));
        }
        Jobs = jobs;
        var found = await JobHistory.OfTenant(db, Tenant.Id).ToPageAsync(PageNumber, PageSize, HttpContext.RequestAborted);
        (Runs, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
    }

    public async Task<IActionResult> OnPostRunAsync(string? job)
    {
        // A forged name is neither echoed nor run: only the jobs this page offers may be run from it.
        if (string.IsNullOrWhiteSpace(job) || catalog.Find(job) is not { PerTenant: true, TenantTriggerable: true } definition)
        {
            Problem = "There is no job of that name that you can run.";
            return RedirectToPage();
        }
        if (!await AvailableAsync(definition))
        {
            Problem = $"{definition.Name} is not available in this workspace.";
            return RedirectToPage();
        }
        var email = User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name ?? "member";
        await control.RunNowAsync(definition, Tenant.Id, email, HttpContext.RequestAborted);
        audit.Add(TenantAudit.JobTriggered, definition.Name, new { job = definition.Name });
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        Notice = $"{definition.Name} is queued to run now; its run appears below once it starts.";
        return RedirectToPage();
    }

    private async Task<bool> AvailableAsync(JobDefinition job) => job.Feature is not { } feature || await flags.IsEnabledAsync(feature);
}
