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
        // Exponential from 1 s, doubling: the second wait is longer than the first.
        var waits = runs.Zip(runs.Skip(1), (a, b) => b.StartedAtUtc - a.EndedAtUtc!.Value).ToList();
        Assert.True(waits[0] >= TimeSpan.FromSeconds(0.9) && waits[1] >= TimeSpan.FromSeconds(1.8),
            $"waits between attempts: {string.Join(", ", waits)}");

        // No fourth attempt comes.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(3, (await factory.WaitForRunsAsync(all => all.Where(r => r.RequestedBy == requestedBy), 3)).Count);
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : JobRetryTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : JobRetryTests(factory), IClassFixture<PostgresAppFactory>;
}
