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

    // Checking in every 2 s, a stopped node is found dead (and what it left recovered) 4 s after its last check-in.
    private static readonly Dictionary<string, string> Settings = new() { ["Jobs__Cluster__CheckinSeconds"] = "2" };

    protected abstract Task<ProcessDatabase> CreateDatabaseAsync();

    [ProviderFact]
    public async Task Stopping_the_app_waits_for_a_running_job_to_finish()
    {
        await using var database = await CreateDatabaseAsync();
        var key = $"stop-{Guid.NewGuid():N}";

        await using var app = await JobsAppProcess.StartAsync(database, Settings);
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

        // Nothing is left to recover: the store holds no firing under way, which is what a recovery runs again...
        await using (var owner = await database.OpenOwnerAsync()) Assert.Equal(0, await TestJobTables.FiredTriggersAsync(owner));

        // ...and a new start runs it no second time, looked at once the new start is past any recovery it would make: a
        // later firing has run there (an unclustered store recovers as its scheduler starts, before it fires anything),
        // and the stopped node has left the cluster (a clustered store recovers a node's firings as it removes the node).
        await using var again = await JobsAppProcess.StartAsync(database, Settings);
        var later = $"later-{Guid.NewGuid():N}";
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.OpenGateAsync(owner, later);
        await again.PostAsync($"/gated?key={later}");
        await Eventually.UntilAsync(() => EffectsAsync(database, later), effects => effects.Count == 1, Patience,
            "a later firing to run on the new start", _ => again.OutputTail());
        await Eventually.UntilAsync(() => ClusterNodesAsync(database), nodes => !nodes.Contains(app.Node) || app.Node == again.Node, Patience,
            "the stopped node to leave the cluster", nodes => string.Join(", ", nodes));
        Assert.Single(await AttemptsAsync(database, key));
    }

    private static async Task<IReadOnlyList<TestJobTables.Effect>> EffectsAsync(ProcessDatabase database, string key)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.EffectsAsync(owner, key);
    }

    private static async Task<IReadOnlyList<string>> ClusterNodesAsync(ProcessDatabase database)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.ClusterNodesAsync(owner);
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
