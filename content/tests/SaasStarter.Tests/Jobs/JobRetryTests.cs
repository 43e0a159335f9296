using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SaasStarter.Jobs;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Jobs;

/// <summary>A test-only per-workspace job that always throws.</summary>
internal sealed class FailingWork : ITenantJob
{
    public const string Message = "the test job failed on purpose";

    public static readonly JobDefinition Definition = new("test-failing", "A test job that always throws.")
    {
        PerTenant = true,
        JobType = typeof(TenantJobRunner<FailingWork>),
    };

    public Task RunAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
}

/// <summary>
/// A failed run is retried by Quartz with growing waits up to <c>Jobs:Retry:MaxAttempts</c>, each attempt in the history
/// with the job's own error, and then stays Failed with no retry left.
/// </summary>
public abstract class JobRetryTests
{
    private readonly AppFactory factory;

    protected JobRetryTests(AppFactory factory)
    {
        this.factory = factory.WithSetting("Jobs:Retry:MaxAttempts", "2").WithSetting("Jobs:Retry:FirstDelaySeconds", "1")
            .WithServices(services =>
            {
                services.AddScoped<FailingWork>();
                services.AddSingleton(FailingWork.Definition);
            });
    }

    [ProviderFact]
    public async Task A_failing_run_is_retried_with_growing_waits_then_stays_failed_with_its_error()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var scheduler = await factory.SchedulerAsync();
        await scheduler.AddJob(JobBuilder.Create().OfType(FailingWork.Definition.JobType).WithIdentity(FailingWork.Definition.Key)
            .StoreDurably().Build(), new AddJobOptions { Replace = true });

        var requestedBy = $"retry-{Guid.NewGuid():N}@example.com";
        var bookings = new RetryBookings(requestedBy);
        scheduler.ListenerManager.AddTriggerListener(bookings, [GroupMatcher<TriggerKey>.AnyGroup()]);
        try
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<JobControl>().RunNowAsync(FailingWork.Definition, world.Tenant.Id, requestedBy);
            }
            var runs = (await factory.WaitForRunsAsync(all => all.Where(r => r.RequestedBy == requestedBy), 3))
                .OrderBy(r => r.Attempt).ToList();

            Assert.Equal([1, 2, 3], runs.Select(r => r.Attempt));
            Assert.All(runs, run =>
            {
                Assert.Equal(JobOutcome.Failed, run.Outcome);
                Assert.Equal(world.Tenant.Id, run.TenantId);
                Assert.Equal(runs[0].TriggerName, run.TriggerName);
                Assert.Equal($"{nameof(InvalidOperationException)}: {FailingWork.Message}", run.Error);
            });
            Assert.Equal([true, true, false], runs.Select(r => r.RetryScheduled));

            // No fourth attempt can come: the last booked no retry, and the scheduler has dropped the firing's trigger.
            await Eventually.UntilAsync(async () => (await scheduler.GetTriggersOfJob(FailingWork.Definition.Key)).Count == 0, JobRunWaiter.Timeout,
                "the failed firing's trigger to be dropped");
            Assert.Equal(3, (await factory.WaitForRunsAsync(all => all.Where(r => r.RequestedBy == requestedBy), 3)).Count);

            // Exponential from 1 s, doubling: each retry booked for that long after its failure was decided, which lies
            // between the attempt's firing and the scheduler's notice of its end, however slow the machine.
            var attempts = bookings.Attempts.ToList();
            Assert.Equal(3, attempts.Count);
            Assert.Null(attempts[2].RetryAt);
            TimeSpan[] waits = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];
            for (var i = 0; i < waits.Length; i++)
            {
                var (firedAt, noticedAt, retryAt) = attempts[i];
                Assert.True(retryAt is { } at && at - noticedAt <= waits[i] && waits[i] <= at - firedAt,
                    $"retry {i + 1} booked for {retryAt:O} after an attempt fired at {firedAt:O} and ended by {noticedAt:O}: not {waits[i]} after its failure");
                Assert.True(runs[i + 1].StartedAtUtc >= retryAt!.Value.UtcDateTime, $"retry {i + 1} started before it was due");
            }
        }
        finally
        {
            scheduler.ListenerManager.RemoveTriggerListener(bookings.Name);
        }
    }

    /// <summary>
    /// As each attempt of one firing completes, what the scheduler decided: the instant a retry was booked for (none when
    /// no retry was), and the window the decision fell in, from the attempt's firing to this notice, which follows it.
    /// </summary>
    private sealed class RetryBookings(string requestedBy) : ITriggerListener
    {
        public ConcurrentQueue<(DateTimeOffset FiredAt, DateTimeOffset NoticedAt, DateTimeOffset? RetryAt)> Attempts { get; } = new();

        public string Name { get; } = $"test-retry-bookings-{Guid.NewGuid():N}";

        public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode,
            CancellationToken cancellationToken = default)
        {
            var noticedAt = DateTimeOffset.UtcNow;
            if (context.MergedJobDataMap.GetString(JobData.RequestedBy) == requestedBy)
            {
                Attempts.Enqueue((context.FireTimeUtc, noticedAt, triggerInstructionCode == SchedulerInstruction.RetryTrigger ? trigger.NextFireTimeUtc : null));
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(false);

        public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask TriggerSkipped(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask TriggerRetriesExhausted(ITrigger trigger, IJobExecutionContext context, JobExecutionException? exception,
            CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : JobRetryTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : JobRetryTests(factory), IClassFixture<PostgresAppFactory>;
}
