using Quartz;

namespace SaasStarter.Jobs;

/// <summary>
/// What people do to jobs by hand: run one now (for one workspace, or for the platform), pause and resume its schedule.
/// Callers audit the action; the run itself is recorded by <see cref="RunHistory"/> with who asked for it.
/// </summary>
public sealed class JobControl(ISchedulerFactory schedulers)
{
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

    public async Task PauseAsync(JobDefinition job, CancellationToken cancellationToken = default) =>
        await (await schedulers.GetScheduler(cancellationToken)).PauseJob(job.Key, cancellationToken);

    public async Task ResumeAsync(JobDefinition job, CancellationToken cancellationToken = default) =>
        await (await schedulers.GetScheduler(cancellationToken)).ResumeJob(job.Key, cancellationToken);
}
