using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SaasStarter.Data;
using SaasStarter.Jobs;

namespace SaasStarter.TestJobs;

/// <summary>
/// Records its attempt, then waits until its gate opens (a row in <c>test_job_gates</c>), then records its effect with an
/// idempotent insert. Recoverable: a test kills the app while it waits and sees it run again, to completion, once.
/// </summary>
internal sealed class GatedJob(IServiceScopeFactory scopes) : IJob
{
    public const string KeyData = "key";

    public static readonly JobDefinition Definition = new("test-gated", "Test only: waits for its gate, then records its effect once.");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var key = context.MergedJobDataMap.GetString(KeyData) ?? throw new InvalidOperationException("The firing names no key.");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database;
        await TestJobTables.RecordAttemptAsync(db, key, context, cancellationToken);
        while (await db.SqlQuery<long>($"SELECT COUNT(*) AS \"Value\" FROM test_job_gates WHERE effect_key = {key}")
                   .SingleAsync(cancellationToken) == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        await TestJobTables.RecordEffectAsync(db, key, context, cancellationToken);
    }
}

/// <summary>Fired on a short repeating schedule: records its attempt and its effect, keyed by the scheduled time.</summary>
internal sealed class TickJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobDefinition Definition = new("test-tick", "Test only: a short job on a repeating schedule.") { Recoverable = false };

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduled = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var key = $"tick:{scheduled.ToUnixTimeMilliseconds()}";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database;
        await TestJobTables.RecordAttemptAsync(db, key, context, cancellationToken);
        await TestJobTables.RecordEffectAsync(db, key, context, cancellationToken);
    }
}

/// <summary>Does nothing: what a firing costs the store and the run history, measured by the jobs benchmark.</summary>
internal sealed class TrivialJob : IJob
{
    public static readonly JobDefinition Definition = new("test-trivial", "Test only: does nothing.") { Recoverable = false };

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>A per-workspace job that does nothing once inside its workspace: the fan-out benchmark's target.</summary>
internal sealed class TenantNoop : ITenantJob
{
    public static readonly JobDefinition Definition = new("test-tenant-noop", "Test only: enters each workspace and does nothing.");

    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
