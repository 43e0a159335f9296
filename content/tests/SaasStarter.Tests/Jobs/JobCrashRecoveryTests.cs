using SaasStarter.Tests.Infrastructure;
using SaasStarter.TestJobs;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// The app as a real process, killed with SIGKILL while a recoverable job runs: started again on the same database, it
/// runs the job again (the history shows the killed run Interrupted and a Recovering run), to completion, and the job's
/// idempotent effect is there once.
/// </summary>
[Collection(JobsAppProcess.Collection)]
public abstract class JobCrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    private static readonly Dictionary<string, string> Settings = new() { ["Jobs__Cluster__CheckinSeconds"] = "2" };

    protected abstract Task<ProcessDatabase> CreateDatabaseAsync();

    [ProviderFact]
    public async Task A_recoverable_job_killed_with_its_process_runs_again_on_the_next_start_and_takes_effect_once()
    {
        await using var database = await CreateDatabaseAsync();
        var key = $"crash-{Guid.NewGuid():N}";

        var first = await JobsAppProcess.StartAsync(database, Settings);
        try
        {
            await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.CreateAsync(owner, database.AppRole);
            await first.PostAsync($"/gated?key={key}");
            // Its attempt is recorded: it is running, waiting for a gate that stays shut while this process lives.
            await Eventually.UntilAsync(() => AttemptsAsync(database, key), attempts => attempts.Count == 1, Patience,
                "the gated job to start", _ => first.OutputTail());
        }
        finally
        {
            await first.KillAsync();
        }
        var killedAt = DateTime.UtcNow;
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.OpenGateAsync(owner, key);

        await using var second = await JobsAppProcess.StartAsync(database, Settings);
        var runs = await Eventually.UntilAsync(() => RunsAsync(database), found => found.Any(r => r.Outcome == "Succeeded"), Patience,
            "the recovered run to succeed", found => $"{string.Join("; ", found)}\n{second.OutputTail()}");

        Assert.Collection(runs,
            killed =>
            {
                Assert.Equal(("Interrupted", false, first.Node), (killed.Outcome, killed.Recovering, killed.Node));
                Assert.Equal($"test.{TestJobsStartup.GatedJobName}.{key}", killed.TriggerName);
            },
            recovered =>
            {
                Assert.Equal(("Succeeded", true, second.Node), (recovered.Outcome, recovered.Recovering, recovered.Node));
                Assert.NotNull(recovered.EndedAtUtc);
            });
        var attempts = await AttemptsAsync(database, key);
        Assert.Equal([false, true], attempts.Select(a => a.Recovering));
        var effect = Assert.Single(await EffectsAsync(database, key));
        Assert.Equal(second.Node, effect.Node);
        output.WriteLine($"Killed at {killedAt:O}; recovered run started {(runs[1].StartedAtUtc - killedAt).TotalSeconds:0.0} s later (including the app's start).");
    }

    private static async Task<IReadOnlyList<TestJobTables.Run>> RunsAsync(ProcessDatabase database)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.RunsAsync(owner, TestJobsStartup.GatedJobName);
    }

    private static async Task<IReadOnlyList<TestJobTables.Attempt>> AttemptsAsync(ProcessDatabase database, string key)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.AttemptsAsync(owner, key);
    }

    private static async Task<IReadOnlyList<TestJobTables.Effect>> EffectsAsync(ProcessDatabase database, string key)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.EffectsAsync(owner, key);
    }

    public sealed class OnSqlite(ITestOutputHelper output) : JobCrashRecoveryTests(output)
    {
        protected override Task<ProcessDatabase> CreateDatabaseAsync() => Task.FromResult(ProcessDatabase.Sqlite());
    }

    public sealed class OnPostgres(ITestOutputHelper output) : JobCrashRecoveryTests(output), IRunsOnPostgres
    {
        protected override Task<ProcessDatabase> CreateDatabaseAsync() => ProcessDatabase.PostgresAsync();
    }
}
