using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Members.Invitations;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// Per-workspace jobs run through the real Quartz scheduler (run now, or the fan-out of a schedule) act on their own
/// workspace only, skip a suspended one, and leave the same state when run again.
/// </summary>
public abstract class TenantJobIsolationTests
{
    private readonly AppFactory factory;

    protected TenantJobIsolationTests(AppFactory factory)
    {
        // The enterprise plan keeps its audit log forever here, to show what "no limit" means to retention.
        this.factory = factory.WithSetting("Plans:Catalog:2:Limits:AuditRetentionDays", "");
    }

    [ProviderFact]
    public async Task Data_retention_for_one_workspace_deletes_only_its_expired_rows_and_a_second_run_changes_nothing()
    {
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        foreach (var world in new[] { a, b })
        {
            // Free keeps 30 days of audit log; idempotency records live 24 hours.
            await world.AddAuditEventsAsync(3, TimeSpan.FromDays(31), JobWorlds.OldAction);
            await world.AddAuditEventsAsync(2, TimeSpan.FromDays(29), JobWorlds.RecentAction);
        }
        var oldA = await a.AddIdempotencyRecordAsync(TimeSpan.FromHours(25));
        var freshA = await a.AddIdempotencyRecordAsync(TimeSpan.FromHours(23));
        var oldB = await b.AddIdempotencyRecordAsync(TimeSpan.FromHours(25));

        (await factory.RunNowAsync(DataRetention.Definition.Name, a.Tenant.Id)).AssertSucceeded();

        Assert.Equal((0, 2), (await a.CountEventsAsync(JobWorlds.OldAction), await a.CountEventsAsync(JobWorlds.RecentAction)));
        Assert.Equal([freshA], await a.IdempotencyKeysAsync());
        Assert.Equal((3, 2), (await b.CountEventsAsync(JobWorlds.OldAction), await b.CountEventsAsync(JobWorlds.RecentAction)));
        Assert.Equal([oldB], await b.IdempotencyKeysAsync());
        Assert.NotEqual(oldA, freshA);

        (await factory.RunNowAsync(DataRetention.Definition.Name, a.Tenant.Id)).AssertSucceeded();
        Assert.Equal((0, 2), (await a.CountEventsAsync(JobWorlds.OldAction), await a.CountEventsAsync(JobWorlds.RecentAction)));
        Assert.Equal([freshA], await a.IdempotencyKeysAsync());
    }

    [ProviderFact]
    public async Task Data_retention_follows_the_plan_and_keeps_everything_when_the_plan_sets_no_limit()
    {
        var pro = await MemberWorld.FoundAsync(factory);
        var enterprise = await MemberWorld.FoundAsync(factory);
        await pro.AssignPlanAsync("pro");
        await enterprise.AssignPlanAsync("enterprise");
        foreach (var world in new[] { pro, enterprise })
        {
            await world.AddAuditEventsAsync(2, TimeSpan.FromDays(366), JobWorlds.OldAction);
            await world.AddAuditEventsAsync(1, TimeSpan.FromDays(300), JobWorlds.RecentAction);
        }

        (await factory.RunNowAsync(DataRetention.Definition.Name, pro.Tenant.Id)).AssertSucceeded();
        (await factory.RunNowAsync(DataRetention.Definition.Name, enterprise.Tenant.Id)).AssertSucceeded();

        Assert.Equal((0, 1), (await pro.CountEventsAsync(JobWorlds.OldAction), await pro.CountEventsAsync(JobWorlds.RecentAction)));
        Assert.Equal((2, 1), (await enterprise.CountEventsAsync(JobWorlds.OldAction), await enterprise.CountEventsAsync(JobWorlds.RecentAction)));
    }

    [ProviderFact]
    public async Task Invitation_cleanup_deletes_only_the_workspaces_long_expired_unanswered_invitations_once()
    {
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        var keep = ExpiredInvitationCleanup.KeepDays;
        var longExpired = await a.AddInvitationAsync(TimeSpan.FromDays(keep + 1));
        var recentlyExpired = await a.AddInvitationAsync(TimeSpan.FromDays(keep - 1));
        var open = await a.AddInvitationAsync(TimeSpan.FromDays(-3));
        var revoked = await a.AddInvitationAsync(TimeSpan.FromDays(keep + 5), revokedAtUtc: DateTime.UtcNow.AddDays(-keep - 6));
        var accepted = await a.AddInvitationAsync(TimeSpan.FromDays(keep + 5), acceptedAtUtc: DateTime.UtcNow.AddDays(-keep - 6));
        var ofB = await b.AddInvitationAsync(TimeSpan.FromDays(keep + 1));

        (await factory.RunNowAsync(ExpiredInvitationCleanup.Definition.Name, a.Tenant.Id)).AssertSucceeded();

        var left = new[] { recentlyExpired, open, revoked, accepted }.Order().ToList();
        Assert.Equal(left, await a.InvitationIdsAsync());
        Assert.DoesNotContain(longExpired, left);
        Assert.Equal([ofB], await b.InvitationIdsAsync());

        (await factory.RunNowAsync(ExpiredInvitationCleanup.Definition.Name, a.Tenant.Id)).AssertSucceeded();
        Assert.Equal(left, await a.InvitationIdsAsync());
    }

    [ProviderFact]
    public async Task A_suspended_workspaces_run_is_recorded_as_skipped_and_touches_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.AddAuditEventsAsync(2, TimeSpan.FromDays(31), JobWorlds.OldAction);
        await world.SuspendAsync();

        var run = await factory.RunNowAsync(DataRetention.Definition.Name, world.Tenant.Id);

        Assert.Equal(JobOutcome.Skipped, run.Outcome);
        Assert.Equal("the workspace is suspended", run.Error);
        Assert.Equal(world.Tenant.Id, run.TenantId);
        Assert.Equal(2, await world.CountEventsAsync(JobWorlds.OldAction));
    }

    [ProviderFact]
    public async Task A_schedules_fan_out_fires_one_run_for_each_active_workspace_and_none_for_a_suspended_one()
    {
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        var suspended = await MemberWorld.FoundAsync(factory);
        await suspended.SuspendAsync();
        await a.AddAuditEventsAsync(1, TimeSpan.FromDays(31), JobWorlds.OldAction);
        await b.AddAuditEventsAsync(1, TimeSpan.FromDays(31), JobWorlds.OldAction);
        var active = await factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Tenants
            .Where(t => t.SuspendedAtUtc == null).Select(t => t.Id).ToListAsync());

        // What the job's cron trigger does when it fires: a trigger of the fan-out job, telling it which job to fire.
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var schedule = TriggerBuilder.Create().WithIdentity($"schedule-{Guid.NewGuid():N}", "test")
            .ForJob(new JobKey(TenantFanOut.JobName, JobDefinition.Group)).UsingJobData(JobData.Target, DataRetention.Definition.Name).StartNow().Build();
        await scheduler.ScheduleJob(schedule);

        var fanOut = (await factory.WaitForRunsAsync(runs => runs.Where(r => r.TriggerName == schedule.Key.ToString()), 1)).Single();
        fanOut.AssertSucceeded();
        // Its runs' triggers were stored before it ended, named after its firing; each stays in the store until its run is
        // recorded. Once none is left, every run it fired is in the history: the set below is complete.
        var firing = $".{new DateTimeOffset(DateTime.SpecifyKind(fanOut.ScheduledAtUtc, DateTimeKind.Utc)).ToUnixTimeMilliseconds()}";
        await Eventually.UntilAsync(async () => !(await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(TenantFanOut.RunGroup)))
            .Any(key => key.Name.EndsWith(firing, StringComparison.Ordinal)), JobRunWaiter.Timeout, "the fan-out's runs to be recorded");
        var prefix = $"{TenantFanOut.RunGroup}.{DataRetention.Definition.Name}.";
        var runs = await factory.WaitForRunsAsync(runs => runs.Where(r => r.TriggerName.StartsWith(prefix) && r.TriggerName.EndsWith(firing)), active.Count);
        Assert.Equal(active.Order(), runs.Select(r => r.TenantId!.Value).Order());
        Assert.All(runs, run => run.AssertSucceeded());
        Assert.DoesNotContain(suspended.Tenant.Id, runs.Select(r => r.TenantId));
        Assert.Equal((0, 0), (await a.CountEventsAsync(JobWorlds.OldAction), await b.CountEventsAsync(JobWorlds.OldAction)));
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : TenantJobIsolationTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : TenantJobIsolationTests(factory), IClassFixture<PostgresAppFactory>;
}
