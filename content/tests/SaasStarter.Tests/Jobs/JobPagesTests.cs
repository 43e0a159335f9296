using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Operator;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// The operator's /admin/jobs (schedules from the scheduler, pause / resume / run now, every run) and a workspace's
/// /t/{slug}/jobs (its own runs only, run now for the jobs its owners may run), through HTTP with real runs.
/// </summary>
public abstract class JobPagesTests
{
    private const string Retention = "job-history-retention";
    private readonly AppFactory factory;

    protected JobPagesTests(AppFactory factory)
    {
        this.factory = factory;
        factory.WithProbeJob();
    }

    [ProviderFact]
    public async Task Operator_sees_every_job_with_its_schedule_and_next_fire_and_the_run_of_a_run_now()
    {
        await factory.SchedulerAsync();
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);

        var page = await op.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("#admin-nav-jobs"));
        var retention = page.Document.QuerySelector($"#jobs-table tr[data-job='{Retention}']")!;
        Assert.Equal("Normal", retention.GetAttribute("data-state"));
        Assert.Contains("0 17 3 * * ?", retention.QuerySelector(".job-schedule")!.TextContent);
        Assert.Matches(@"^\d{4}-\d\d-\d\d 03:17:00$", retention.QuerySelector(".job-next")!.TextContent.Trim());
        Assert.Contains("Platform", retention.TextContent);
        var probe = page.Document.QuerySelector($"#jobs-table tr[data-job='{ProbeWork.Definition.Name}']")!;
        Assert.Contains("Per workspace", probe.TextContent);
        Assert.Contains("Only when triggered", probe.QuerySelector(".job-schedule")!.TextContent);

        var ran = await op.FollowAsync(await op.SubmitAsync(page, new Dictionary<string, string>(), $"form.job-run[data-job='{Retention}']"));
        Assert.Contains($"{Retention} is queued to run now", ran.Document.QuerySelector("#jobs-notice")?.TextContent);
        var run = await factory.FinishedRunAsync(r => r.JobName == Retention && r.RequestedBy == operatorUser.Email);
        Assert.Equal((JobOutcome.Succeeded, 1, null), (run.Outcome, run.Attempt, run.TenantId));

        var history = await op.GetAsync($"/admin/jobs?job={Retention}");
        var row = history.Document.QuerySelectorAll("#runs-table tbody tr").Single(r => r.QuerySelector(".run-requested-by")?.TextContent == operatorUser.Email);
        Assert.Equal("Succeeded", row.GetAttribute("data-outcome"));
        Assert.Equal("1", row.QuerySelector(".run-attempt")!.TextContent.Trim());
        Assert.Contains("platform", row.QuerySelector(".run-workspace")!.TextContent);
        Assert.Contains(run.Node, row.TextContent);
    }

    [ProviderFact]
    public async Task Pause_and_resume_change_the_state_of_the_schedule()
    {
        var scheduler = await factory.SchedulerAsync();
        var key = HistoryRetention.Definition.ScheduleKey;
        var operatorEmail = (await factory.CreateOperatorAsync()).Email!;
        using var op = await factory.SignedInSessionAsync(operatorEmail);

        var paused = await op.FollowAsync(await op.SubmitAsync(await op.GetAsync("/admin/jobs"), new Dictionary<string, string>(), $"form.job-pause[data-job='{Retention}']"));
        Assert.Contains("is paused", paused.Document.QuerySelector("#jobs-notice")?.TextContent);
        Assert.Equal(TriggerState.Paused, await scheduler.GetTriggerState(key));
        var row = paused.Document.QuerySelector($"#jobs-table tr[data-job='{Retention}']")!;
        Assert.Equal("Paused", row.GetAttribute("data-state"));
        Assert.Equal("paused", row.QuerySelector(".job-next")!.TextContent.Trim());

        var resumed = await op.FollowAsync(await op.SubmitAsync(paused, new Dictionary<string, string>(), $"form.job-pause[data-job='{Retention}']"));
        Assert.Contains("runs on its schedule again", resumed.Document.QuerySelector("#jobs-notice")?.TextContent);
        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(key));
        Assert.Equal("Normal", resumed.Document.QuerySelector($"#jobs-table tr[data-job='{Retention}']")!.GetAttribute("data-state"));

        // Both are platform actions (no workspace's log takes them): the platform audit page lists them, newest first.
        var audit = await op.GetAsync("/admin/audit");
        var actions = audit.Document.QuerySelectorAll("#operator-actions tbody tr[data-action]")
            .Select(r => (r.GetAttribute("data-action"), r.Children[2].TextContent.Trim(), r.Children[3].TextContent.Trim())).Take(2).ToList();
        Assert.Equal([(OperatorAction.JobResumed, operatorEmail, Retention), (OperatorAction.JobPaused, operatorEmail, Retention)], actions);
    }

    [ProviderFact]
    public async Task A_non_operator_gets_404_on_the_jobs_page_and_its_actions()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var token = (await owner.GetAsync($"/t/{world.Tenant.Slug}")).Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/admin/jobs")).Status);
        var run = await owner.Client.PostAsync("/admin/jobs?handler=Run",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("job", Retention)]));
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateSession().GetAsync("/admin/jobs")).Status);
    }

    [ProviderFact]
    public async Task A_workspace_page_shows_only_that_workspaces_runs_and_a_non_member_gets_404()
    {
        await factory.SchedulerAsync();
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);
        using var ownerA = await factory.SignedInSessionAsync(a.OwnerEmail);
        using var ownerB = await factory.SignedInSessionAsync(b.OwnerEmail);

        // The operator runs the probe for every workspace; A's owner once more for A from A's page.
        var runAll = await op.FollowAsync(await op.SubmitAsync(await op.GetAsync("/admin/jobs"), new Dictionary<string, string>(),
            $"form.job-run-all[data-job='{ProbeWork.Definition.Name}']"));
        Assert.Contains("for every active workspace", runAll.Document.QuerySelector("#jobs-notice")?.TextContent);
        var ofB = await factory.FinishedRunAsync(r => r.TenantId == b.Tenant.Id && r.JobName == ProbeWork.Definition.Name);
        Assert.Equal((JobOutcome.Succeeded, operatorUser.Email), (ofB.Outcome, ofB.RequestedBy));
        await factory.FinishedRunAsync(r => r.TenantId == a.Tenant.Id && r.RequestedBy == operatorUser.Email);
        var pageA = await ownerA.GetAsync($"/t/{a.Tenant.Slug}/jobs");
        await ownerA.FollowAsync(await ownerA.SubmitAsync(pageA, new Dictionary<string, string>(), "form.job-run"));
        await factory.FinishedRunAsync(r => r.TenantId == a.Tenant.Id && r.RequestedBy == a.OwnerEmail);

        var ownRuns = await factory.WithScopeAsync(sp => JobHistory.OfTenant(sp.GetRequiredService<AppDbContext>(), a.Tenant.Id).Select(r => r.Id).ToListAsync());
        var shown = (await ownerA.GetAsync($"/t/{a.Tenant.Slug}/jobs")).Document.QuerySelectorAll("#runs-table tr[data-run]").Select(r => r.GetAttribute("data-run")!).ToList();
        Assert.Equal(2, shown.Count);
        Assert.Equal(ownRuns.Select(id => id.ToString()).Order(), shown.Order());
        Assert.DoesNotContain(ofB.Id.ToString(), shown);
        var shownB = (await ownerB.GetAsync($"/t/{b.Tenant.Slug}/jobs")).Document.QuerySelectorAll("#runs-table tr[data-run]").Select(r => r.GetAttribute("data-run")).ToList();
        Assert.Equal([ofB.Id.ToString()], shownB);

        Assert.Equal(HttpStatusCode.NotFound, (await ownerB.GetAsync($"/t/{a.Tenant.Slug}/jobs")).Status);
        var memberEmail = AccountFlows.UniqueEmail("plain");
        await a.AddAsync(TenantRole.Member, memberEmail);
        using var member = await factory.SignedInSessionAsync(memberEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/t/{a.Tenant.Slug}/jobs")).Status);
    }

    [ProviderFact]
    public async Task Run_now_is_audited_in_the_workspaces_log()
    {
        await factory.SchedulerAsync();
        var world = await factory.TenantWithOwnerAsync("Audited");
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);

        var byOwner = await owner.FollowAsync(await owner.SubmitAsync(await owner.GetAsync($"/t/{world.Tenant.Slug}/jobs"), new Dictionary<string, string>(), "form.job-run"));
        Assert.Contains("is queued to run now", byOwner.Document.QuerySelector("#jobs-notice")?.TextContent);
        var byOperator = await op.FollowAsync(await op.SubmitAsync(await op.GetAsync("/admin/jobs"),
            new Dictionary<string, string> { ["workspace"] = world.Tenant.Slug.ToUpperInvariant() }, $"form.job-run[data-job='{ProbeWork.Definition.Name}']"));
        Assert.Contains($"for {world.Tenant.Slug}", byOperator.Document.QuerySelector("#jobs-notice")?.TextContent);

        var events = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == TenantAudit.JobTriggered || e.Action == TenantAudit.OperatorJobTriggered).ToListAsync());
        Assert.Equal(2, events.Count);
        var mine = Assert.Single(events, e => e.Action == TenantAudit.JobTriggered);
        Assert.Equal((world.OwnerId, ProbeWork.Definition.Name), (mine.ActorUserId!.Value, mine.Target));
        var theirs = Assert.Single(events, e => e.Action == TenantAudit.OperatorJobTriggered);
        Assert.Equal((operatorUser.Id, operatorUser.Email), (theirs.ActorUserId!.Value, theirs.ActorEmail));
        await factory.FinishedRunAsync(r => r.TenantId == world.Tenant.Id && r.RequestedBy == operatorUser.Email);
    }

    [ProviderFact]
    public async Task Bad_input_gets_a_message_and_runs_nothing()
    {
        await factory.SchedulerAsync();
        var world = await factory.TenantWithOwnerAsync("Careful");
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        string[] people = [operatorUser.Email!, world.OwnerEmail];
        var (eventsBefore, pausedBefore) = (await EventsAsync(world), await PausedAsync());
        var admin = await op.GetAsync("/admin/jobs");
        var probeForm = $"form.job-run[data-job='{ProbeWork.Definition.Name}']";

        async Task<string?> OperatorProblem(Dictionary<string, string> values, string form) =>
            (await op.FollowAsync(await op.SubmitAsync(admin, values, form))).Document.QuerySelector("#jobs-problem")?.TextContent;

        Assert.Equal("There is no job of that name; choose one from the table.",
            await OperatorProblem(new() { ["job"] = "no-such-job" }, $"form.job-run[data-job='{Retention}']"));
        Assert.Equal("There is no workspace at that address.", await OperatorProblem(new() { ["workspace"] = "nowhere-at-all" }, probeForm));
        Assert.StartsWith($"{Retention} runs for the platform, not for a workspace",
            await OperatorProblem(new() { ["job"] = Retention, ["workspace"] = world.Tenant.Slug }, probeForm));
        Assert.StartsWith($"{ProbeWork.Definition.Name} runs per workspace", await OperatorProblem(new() { ["workspace"] = " " }, probeForm));
        Assert.StartsWith($"{Retention} runs for the platform, not per workspace",
            await OperatorProblem(new() { ["job"] = Retention }, $"form.job-run-all[data-job='{ProbeWork.Definition.Name}']"));
        Assert.Equal("There is no job of that name; choose one from the table.",
            await OperatorProblem(new() { ["job"] = "nope" }, $"form.job-pause[data-job='{Retention}']"));

        var tenantPage = await owner.GetAsync($"/t/{world.Tenant.Slug}/jobs");
        foreach (var forged in new[] { "no-such-job", Retention })
        {
            var refused = await owner.FollowAsync(await owner.SubmitAsync(tenantPage, new Dictionary<string, string> { ["job"] = forged }, "form.job-run"));
            Assert.Equal("There is no job of that name that you can run.", refused.Document.QuerySelector("#jobs-problem")?.TextContent);
        }

        // Each refusal answered after the request was done with: anything it had queued would be in the scheduler now, as
        // a trigger carrying who asked until its run is recorded, and from then on in the history. Neither is there, nor
        // a pause, nor an audited action.
        Assert.Empty(await QueuedByAsync(people));
        Assert.Equal(0, await factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().JobRuns.CountAsync(r => r.RequestedBy != null && people.Contains(r.RequestedBy))));
        Assert.Equal(pausedBefore, await PausedAsync());
        Assert.Equal(eventsBefore, await EventsAsync(world));
        Assert.Equal(0, await factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().OperatorActions.CountAsync(a => a.ActorUserId == operatorUser.Id)));
    }

    /// <summary>The scheduler's triggers, in any group, that fire for one of <paramref name="requesters"/>.</summary>
    private async Task<List<TriggerKey>> QueuedByAsync(string[] requesters)
    {
        var scheduler = await factory.SchedulerAsync();
        var queued = new List<TriggerKey>();
        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.AnyGroup()))
        {
            if (await scheduler.GetTrigger(key) is { } trigger && trigger.JobDataMap.GetString(JobData.RequestedBy) is { } by && requesters.Contains(by)) queued.Add(key);
        }
        return queued;
    }

    /// <summary>The triggers that are paused, by name.</summary>
    private async Task<List<string>> PausedAsync()
    {
        var scheduler = await factory.SchedulerAsync();
        var paused = new List<string>();
        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.AnyGroup()))
        {
            if (await scheduler.GetTriggerState(key) == TriggerState.Paused) paused.Add(key.ToString());
        }
        return [.. paused.Order(StringComparer.Ordinal)];
    }

    private Task<int> EventsAsync(MemberWorld world) => factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync());

    public sealed class OnSqlite(SqliteAppFactory factory) : JobPagesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : JobPagesTests(factory), IClassFixture<PostgresAppFactory>;
}
