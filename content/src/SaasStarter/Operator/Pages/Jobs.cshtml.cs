using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Core;
using SaasStarter.Tenancy;
using SaasStarter.Tenants;

namespace SaasStarter.Operator.Pages;

/// <summary>
/// The operator's jobs: every job in the <see cref="JobCatalog"/> with its schedule as the scheduler has it (previous and
/// next fire, paused or not), pause / resume / run now, and the run history of every job and workspace.
/// A run for one workspace is audited in that workspace's log; actions with no workspace (a platform job, a pause, a
/// run for all workspaces) are recorded as <see cref="OperatorAction"/>s, and a run keeps the operator's email in its
/// history row.
/// </summary>
public sealed class JobsModel(AppDbContext db, JobCatalog catalog, JobControl control,
    IServiceScopeFactory scopes, OperatorActionLog operatorActions) : PageModel
{
    public const int PageSize = 50;

    /// <summary>A job and its schedule's trigger as the scheduler has it now.</summary>
    public sealed record JobRow(JobDefinition Definition, TriggerState? State, DateTimeOffset? PreviousFireUtc, DateTimeOffset? NextFireUtc, JobRun? LatestRun)
    {
        public bool Paused => State == TriggerState.Paused;
    }

    [BindProperty(SupportsGet = true, Name = "job")]
    public string? JobFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "outcome")]
    public JobOutcome? OutcomeFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "workspace")]
    public string? WorkspaceFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<JobRow> Jobs { get; private set; } = [];
    public IReadOnlyList<JobRun> Runs { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> Slugs { get; private set; } = new Dictionary<Guid, string>();
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;

    /// <summary>The workspace filter names no workspace.</summary>
    public bool UnknownWorkspace { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? Problem { get; set; }

    public async Task OnGetAsync()
    {
        var cancel = HttpContext.RequestAborted;
        var scheduler = await control.SchedulerAsync(cancel);
        var latest = await JobHistory.LatestPerJobAsync(db, cancel);
        var rows = new List<JobRow>();
        foreach (var job in catalog.All)
        {
            var schedule = job.Cron is null ? null : await scheduler.GetTrigger(job.ScheduleKey, cancel);
            TriggerState? state = schedule is null ? null : await scheduler.GetTriggerState(schedule.Key, cancel);
            rows.Add(new JobRow(job, state, schedule?.PreviousFireTimeUtc, schedule?.NextFireTimeUtc, latest.GetValueOrDefault(job.Name)));
        }
        Jobs = rows;

        Guid? tenantId = null;
        if (!string.IsNullOrWhiteSpace(WorkspaceFilter))
        {
            tenantId = await TenantIdAsync(WorkspaceFilter);
            UnknownWorkspace = tenantId is null;
        }
        if (UnknownWorkspace) return;
        var found = await JobHistory.Recent(db, JobFilter, OutcomeFilter, tenantId).ToPageAsync(PageNumber, PageSize, cancel);
        (Runs, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
        Slugs = await JobHistory.SlugsOfAsync(db, Runs, cancel);
    }

    /// <summary>Runs a platform job now, or a per-workspace job now for the workspace at <paramref name="workspace"/>.</summary>
    public async Task<IActionResult> OnPostRunAsync(string? job, string? workspace)
    {
        if (Find(job) is not { } definition) return Refuse("There is no job of that name; choose one from the table.");
        if (!definition.PerTenant)
        {
            if (!string.IsNullOrWhiteSpace(workspace)) return Refuse($"{definition.Name} runs for the platform, not for a workspace: run it without one.");
            await control.RunNowAsync(definition, null, OperatorEmail, HttpContext.RequestAborted);
            await operatorActions.RecordAsync(OperatorAction.JobRun, definition.Name, HttpContext.RequestAborted);
            Notice = $"{definition.Name} is queued to run now; its run appears below once it starts.";
            return RedirectToPage();
        }

        if (string.IsNullOrWhiteSpace(workspace)) return Refuse($"{definition.Name} runs per workspace: give the address of the workspace to run it for.");
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == workspace.Trim().ToLowerInvariant(), HttpContext.RequestAborted);
        if (tenant is null) return Refuse("There is no workspace at that address.");
        await control.RunNowAsync(definition, tenant.Id, OperatorEmail, HttpContext.RequestAborted);
        await AuditInWorkspaceAsync(tenant, definition);
        Notice = $"{definition.Name} is queued to run now for {tenant.Slug}; its run appears below once it starts.";
        return RedirectToPage(new { workspace = tenant.Slug });
    }

    /// <summary>A per-workspace job now for every active workspace: its fan-out, fired by hand.</summary>
    public async Task<IActionResult> OnPostRunAllAsync(string? job)
    {
        if (Find(job) is not { } definition) return Refuse("There is no job of that name; choose one from the table.");
        if (!definition.PerTenant) return Refuse($"{definition.Name} runs for the platform, not per workspace: use Run now.");
        await control.RunForAllWorkspacesAsync(definition, OperatorEmail, HttpContext.RequestAborted);
        await operatorActions.RecordAsync(OperatorAction.JobRunForAll, definition.Name, HttpContext.RequestAborted);
        Notice = $"{definition.Name} is queued to run now for every active workspace.";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostPauseAsync(string? job) => SetPausedAsync(job, pause: true);

    public Task<IActionResult> OnPostResumeAsync(string? job) => SetPausedAsync(job, pause: false);

    private async Task<IActionResult> SetPausedAsync(string? job, bool pause)
    {
        if (Find(job) is not { } definition) return Refuse("There is no job of that name; choose one from the table.");
        if (definition.Cron is null) return Refuse($"{definition.Name} has no schedule to {(pause ? "pause" : "resume")}; it runs only when triggered.");
        var scheduler = await control.SchedulerAsync(HttpContext.RequestAborted);
        var paused = await scheduler.GetTriggerState(definition.ScheduleKey, HttpContext.RequestAborted) == TriggerState.Paused;
        if (paused == pause)
        {
            Notice = $"{definition.Name} was already {(pause ? "paused" : "running on its schedule")}.";
            return RedirectToPage();
        }
        if (pause) await control.PauseAsync(definition, HttpContext.RequestAborted);
        else await control.ResumeAsync(definition, HttpContext.RequestAborted);
        // A pause acts for the platform (a per-workspace job's schedule serves every workspace): no workspace log takes it.
        await operatorActions.RecordAsync(pause ? OperatorAction.JobPaused : OperatorAction.JobResumed, definition.Name, HttpContext.RequestAborted);
        Notice = pause ? $"{definition.Name} is paused: its schedule fires no more until resumed." : $"{definition.Name} runs on its schedule again.";
        return RedirectToPage();
    }

    /// <summary>In the workspace's own log (its owners see what the operator ran there), from a scope acting for it.</summary>
    private async Task AuditInWorkspaceAsync(Tenancy.Tenant tenant, JobDefinition definition)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(tenant));
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add(TenantAudit.OperatorJobTriggered, definition.Name, new { job = definition.Name });
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(HttpContext.RequestAborted);
    }

    private async Task<Guid?> TenantIdAsync(string slug)
    {
        var normalized = slug.Trim().ToLowerInvariant();
        return await db.Tenants.AsNoTracking().Where(t => t.Slug == normalized).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(HttpContext.RequestAborted);
    }

    private JobDefinition? Find(string? job) => string.IsNullOrWhiteSpace(job) ? null : catalog.Find(job);

    private string OperatorEmail => User.FindFirstValue(ClaimTypes.Email) ?? User.Identity?.Name ?? "operator";

    private RedirectToPageResult Refuse(string problem)
    {
        Problem = problem;
        return RedirectToPage();
    }
}
