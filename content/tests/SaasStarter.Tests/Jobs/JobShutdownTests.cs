using SaasStarter.Tests.Infrastructure;
using SaasStarter.TestJobs;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// The app as a real process, stopped with SIGTERM (as <c>docker stop</c> does) while a job runs: the stop waits for the
/// job, which finishes in this process, once, and is not run again on the next start.
/// </summary>
[Collection(JobsAppProcess.Collection)]
public abstract class JobShutdownTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    protected abstract Task<ProcessDatabase> CreateDatabaseAsync();

    [ProviderFact]
    public async Task Stopping_the_app_waits_for_a_running_job_to_finish()
    {
        await using var database = await CreateDatabaseAsync();
        var key = $"stop-{Guid.NewGuid():N}";

        await using var app = await JobsAppProcess.StartAsync(database);
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.CreateAsync(owner, database.AppRole);
        await app.PostAsync($"/gated?key={key}");
        await Eventually.UntilAsync(() => AttemptsAsync(database, key), attempts => attempts.Count == 1, Patience,
            "the gated job to start", _ => app.OutputTail());

        var stopping = app.TerminateAsync(Patience);
        await app.WaitForLineAsync(line => line.Contains("Application is shutting down", StringComparison.Ordinal), Patience);
        // Still running after the stop began: the stop is waiting for it. Only now may it finish.
        Assert.False(stopping.IsCompleted, "the app exited without waiting for its running job");
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.OpenGateAsync(owner, key);
        Assert.Equal(0, await stopping);

        await using (var owner = await database.OpenOwnerAsync())
        {
            var run = Assert.Single(await TestJobTables.RunsAsync(owner, TestJobsStartup.GatedJobName));
            Assert.Equal(("Succeeded", false, app.Node), (run.Outcome, run.Recovering, run.Node));
            Assert.Single(await TestJobTables.EffectsAsync(owner, key));
        }

        // Nothing is left to recover: a new start runs it no second time.
        await using var again = await JobsAppProcess.StartAsync(database);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await AttemptsAsync(database, key));
    }

    private static async Task<IReadOnlyList<TestJobTables.Attempt>> AttemptsAsync(ProcessDatabase database, string key)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.AttemptsAsync(owner, key);
    }

    public sealed class OnSqlite : JobShutdownTests
    {
        protected override Task<ProcessDatabase> CreateDatabaseAsync() => Task.FromResult(ProcessDatabase.Sqlite());
    }

    public sealed class OnPostgres : JobShutdownTests, IRunsOnPostgres
    {
        protected override Task<ProcessDatabase> CreateDatabaseAsync() => ProcessDatabase.PostgresAsync();
    }
}
