using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Data;

using SaasStarter.Tenancy;

namespace SaasStarter.Jobs;

/// <summary>
/// The scheduled firing of a per-workspace job: one one-off trigger per active workspace, each carrying its workspace,
/// stored in one transaction. Each run is then a separate firing with its own scope, tenant context, retries and history
/// row, and in a cluster the runs spread over the nodes; no code loops across workspaces.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class TenantFanOut(AppDbContext db, JobCatalog catalog, ILogger<TenantFanOut> logger) : IJob
{
    public const string JobName = "fan-out";
    public const string RunGroup = "tenant-runs";
    public static readonly JobKey Key = new(JobName, JobDefinition.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var target = context.MergedJobDataMap.GetString(JobData.Target);
        var definition = (target is null ? null : catalog.Find(target)) is { PerTenant: true } found ? found
            : throw new InvalidOperationException($"Fan-out target '{target}' is not a per-workspace job.");

        var tenants = await db.Tenants.AsNoTracking().Where(t => t.SuspendedAtUtc == null)
            .OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
        // Keyed by firing and workspace: a fan-out that is itself recovered after a crash replaces, not doubles, its runs.
        var stamp = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUnixTimeMilliseconds();
        // A fan-out someone started by hand passes their name on, so each workspace's run says who asked for it.
        var requestedBy = context.MergedJobDataMap.GetString(JobData.RequestedBy);
        var triggers = tenants.Select(id =>
            {
                var trigger = TriggerBuilder.Create()
                    .WithIdentity($"{definition.Name}.{id:N}.{stamp}", RunGroup)
                    .ForJob(definition.Key)
                    .UsingJobData(JobData.TenantId, id.ToString())
                    .StartNow();
                if (requestedBy is not null) trigger.UsingJobData(JobData.RequestedBy, requestedBy);
                return trigger.Build();
            })
            .ToList();
        if (triggers.Count > 0)
        {
            var detail = await context.Scheduler.GetJobDetail(definition.Key, cancellationToken)
                ?? throw new InvalidOperationException($"Job {definition.Name} is not stored.");
            await context.Scheduler.ScheduleJobs(new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> { [detail] = triggers },
                new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
        logger.LogInformation("Job {Job} fanned out to {Count} workspaces", definition.Name, triggers.Count);
    }
}
