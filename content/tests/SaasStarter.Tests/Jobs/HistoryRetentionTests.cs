using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Jobs;

/// <summary>The run history keeps <c>Jobs:HistoryDays</c> (30 by default) and the nightly job deletes what is older.</summary>
public abstract class HistoryRetentionTests(AppFactory factory)
{
    [ProviderFact]
    public async Task History_retention_deletes_runs_older_than_the_history_days_and_keeps_the_rest()
    {
        var job = $"test-history-{Guid.NewGuid():N}";
        var old = Enumerable.Range(0, 3).Select(_ => Run(job, TimeSpan.FromDays(31))).ToList();
        var recent = Run(job, TimeSpan.FromDays(29));
        await factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            db.JobRuns.AddRange([.. old, recent]);
            return await db.SaveChangesAsync();
        });

        (await factory.RunNowAsync(HistoryRetention.Definition.Name, tenantId: null)).AssertSucceeded();

        var left = await factory.WithScopeAsync(services => services.GetRequiredService<AppDbContext>().JobRuns
            .Where(r => r.JobName == job).Select(r => r.Id).ToListAsync());
        Assert.Equal([recent.Id], left);
    }

    private static JobRun Run(string job, TimeSpan age) => new()
    {
        JobName = job,
        TriggerName = "test.history",
        FireInstanceId = Guid.NewGuid().ToString("N"),
        Node = "test",
        ScheduledAtUtc = DateTime.UtcNow - age,
        StartedAtUtc = DateTime.UtcNow - age,
        EndedAtUtc = DateTime.UtcNow - age,
        Attempt = 1,
        Outcome = JobOutcome.Succeeded,
    };

    public sealed class OnSqlite(SqliteAppFactory factory) : HistoryRetentionTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : HistoryRetentionTests(factory), IClassFixture<PostgresAppFactory>;
}
