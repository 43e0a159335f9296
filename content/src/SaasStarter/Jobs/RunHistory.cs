using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Data;

namespace SaasStarter.Jobs;

/// <summary>
/// Records every execution of every job in <see cref="JobRun"/>: a row when it starts, completed when it ends. The
/// store is the app's database, so a cluster has one history. Recording never fails a job: a database error here is
/// logged and the job runs (or its outcome stands) all the same.
/// </summary>
internal sealed class RunHistory(IServiceScopeFactory scopes, ILogger<RunHistory> logger) : IJobListener
{
    public string Name => "run-history";

    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var run = new JobRun
        {
            JobName = context.JobDetail.Key.Name,
            TenantId = Guid.TryParse(context.MergedJobDataMap.GetString(JobData.TenantId), out var id) ? id : null,
            TriggerName = context.Trigger.Key.ToString(),
            FireInstanceId = context.FireInstanceId,
            Node = context.Scheduler.SchedulerInstanceId,
            ScheduledAtUtc = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).UtcDateTime,
            StartedAtUtc = DateTime.UtcNow,
            Attempt = context.RetryAttempt + 1,
            Recovering = context.Recovering,
            RequestedBy = context.MergedJobDataMap.GetString(JobData.RequestedBy),
        };
        await WriteAsync(run.FireInstanceId, async db =>
        {
            if (run.Recovering && context.RecoveringTriggerKey is { } original)
            {
                // The firing it recovers died with its process: its row would say Running forever. Only that trigger's
                // rows: a run of the same job on a live node is not touched.
                var originalTrigger = original.ToString();
                await db.JobRuns.Where(r => r.JobName == run.JobName && r.TenantId == run.TenantId && r.TriggerName == originalTrigger
                        && r.Outcome == JobOutcome.Running && r.StartedAtUtc < run.StartedAtUtc)
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.Outcome, JobOutcome.Interrupted)
                        .SetProperty(r => r.Error, "The process running it stopped; it was run again."), cancellationToken);
            }
            db.JobRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        });
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken)
    {
        var (outcome, error) = context switch
        {
            { Result: JobSkipped skipped } => (JobOutcome.Skipped, skipped.Reason),
            { Outcome: ExecutionOutcome.Failed } => (JobOutcome.Failed, ErrorText(jobException)),
            { Outcome: ExecutionOutcome.Cancelled } => (JobOutcome.Cancelled, ErrorText(jobException)),
            _ => (JobOutcome.Succeeded, null),
        };
        var retry = context.RetryScheduled;
        var ended = DateTime.UtcNow;
        // The listener is called after the job, even while the app stops: record it regardless of the token.
        await WriteAsync(context.FireInstanceId, db => db.JobRuns
            .Where(r => r.FireInstanceId == context.FireInstanceId && r.Outcome == JobOutcome.Running)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Outcome, outcome).SetProperty(r => r.Error, error)
                .SetProperty(r => r.RetryScheduled, retry).SetProperty(r => r.EndedAtUtc, ended), CancellationToken.None));
        if (outcome == JobOutcome.Failed)
        {
            logger.LogWarning(jobException, "Job {Job} failed (attempt {Attempt}){Retry}", context.JobDetail.Key.Name,
                context.RetryAttempt + 1, retry ? "; it will be retried" : "; no retry left");
        }
    }

    private static string? ErrorText(JobExecutionException? e)
    {
        // Quartz wraps what the job threw (once or twice): the history shows the job's own exception.
        Exception? cause = e;
        while (cause is SchedulerException { InnerException: { } inner }) cause = inner;
        if (cause is null) return null;
        var text = $"{cause.GetType().Name}: {cause.Message}";
        return text.Length <= JobRun.ErrorMaxLength ? text : text[..JobRun.ErrorMaxLength];
    }

    private async Task WriteAsync(string fireInstanceId, Func<AppDbContext, Task> write)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await write(scope.ServiceProvider.GetRequiredService<AppDbContext>());
        }
        catch (Exception e)
        {
            logger.LogError(e, "The run history could not record firing {FireInstanceId}", fireInstanceId);
        }
    }
}
