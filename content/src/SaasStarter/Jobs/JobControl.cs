using Quartz;

namespace SaasStarter.Jobs;

/// <summary>
/// What people do to jobs by hand: run one now (for one workspace, or for the platform), pause and resume its schedule.
/// Callers audit the action; the run itself is recorded by <see cref="RunHistory"/> with who asked for it.
/// </summary>
/// <remarks>A singleton: it holds nothing of a request. Code outside Quartz asks it for the scheduler.</remarks>
public sealed class JobControl(ISchedulerFactory schedulers)
{
    public ValueTask<IScheduler> SchedulerAsync(CancellationToken cancellationToken = default) => schedulers.GetScheduler(cancellationToken);

    public const string ManualGroup = "manual";

    public async Task RunNowAsync(JobDefinition job, Guid? tenantId, string requestedBy, CancellationToken cancellationToken = default)
    {
        if (job.PerTenant != tenantId.HasValue)
        {
            throw new ArgumentException(job.PerTenant ? $"Job {job.Name} runs per workspace: name one." : $"Job {job.Name} runs for the platform, not a workspace.");
        }
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{job.Name}.{Guid.CreateVersion7():N}", ManualGroup)
            .ForJob(job.Key)
            .UsingJobData(JobData.RequestedBy, requestedBy)
            .StartNow();
        if (tenantId is { } id) trigger.UsingJobData(JobData.TenantId, id.ToString());
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(trigger.Build(), new ScheduleJobOptions(), cancellationToken);
    }

    /// <summary>A per-workspace job, now, once for each active workspace: its fan-out, fired by hand.</summary>
    public async Task RunForAllWorkspacesAsync(JobDefinition job, string requestedBy, CancellationToken cancellationToken = default)
    {
        if (!job.PerTenant) throw new ArgumentException($"Job {job.Name} runs for the platform, not per workspace.");
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{TenantFanOut.JobName}.{job.Name}.{Guid.CreateVersion7():N}", ManualGroup)
            .ForJob(TenantFanOut.Key)
            .UsingJobData(JobData.Target, job.Name)
            .UsingJobData(JobData.RequestedBy, requestedBy)
            .StartNow()
            .Build();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), cancellationToken);
    }

    // A per-workspace job's schedule fires the fan-out, so it is not among the job's own triggers: pause it by its key.
    public async Task PauseAsync(JobDefinition job, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.PauseJob(job.Key, cancellationToken);
        if (job.Cron is not null) await scheduler.PauseTrigger(job.ScheduleKey, cancellationToken);
    }

    public async Task ResumeAsync(JobDefinition job, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ResumeJob(job.Key, cancellationToken);
        if (job.Cron is not null) await scheduler.ResumeTrigger(job.ScheduleKey, cancellationToken);
    }
}
