using SaasStarter.Tests.Infrastructure;
using SaasStarter.TestJobs;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// Two app processes on one PostgreSQL database form one Quartz cluster: a job firing every 2 s runs once per firing
/// across both, and when the node running a recoverable job is killed (SIGKILL), the other keeps the schedule and runs
/// that job again. The takeover times are printed, not asserted (the machine's load decides them).
/// </summary>
[Collection(JobsAppProcess.Collection)]
public sealed class JobClusterTests(ITestOutputHelper output) : IRunsOnPostgres
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    // Checking in every 2 s, a node is presumed dead 4 s after its last check-in.
    private static readonly Dictionary<string, string> Settings = new() { ["Jobs__Cluster__CheckinSeconds"] = "2" };

    [PostgresFact]
    public async Task Each_firing_runs_once_across_two_instances_and_the_survivor_takes_over_a_killed_instances_work()
    {
        await using var database = await ProcessDatabase.PostgresAsync();
        // One after the other: the first migrates the new database.
        await using var a = await JobsAppProcess.StartAsync(database, Settings);
        await using var b = await JobsAppProcess.StartAsync(database, Settings);
        Assert.NotEqual(a.Node, b.Node);
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.CreateAsync(owner, database.AppRole);
        await Eventually.UntilAsync(async () => { await using var owner = await database.OpenOwnerAsync(); return await TestJobTables.ClusterNodesAsync(owner); },
            nodes => nodes.Contains(a.Node) && nodes.Contains(b.Node), Patience, "both instances to check in to the cluster",
            nodes => string.Join(", ", nodes));

        var key = $"cluster-{Guid.NewGuid():N}";
        await a.PostAsync("/ticks?seconds=2");
        await a.PostAsync($"/gated?key={key}");
        var gated = await Eventually.UntilAsync(() => AttemptsAsync(database, key), attempts => attempts.Count == 1, Patience,
            "the gated job to start");
        var (victim, survivor) = gated[0].Node == a.Node ? (a, b) : (b, a);
        await Eventually.UntilAsync(() => RunsAsync(database, TestJobsStartup.TickJobName), ticks => ticks.Count(t => t.EndedAtUtc is not null) >= 2,
            Patience, "two ticks before the kill");

        var killedAt = DateTime.UtcNow;
        await victim.KillAsync();
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.OpenGateAsync(owner, key);

        var recovered = await Eventually.UntilAsync(() => RunsAsync(database, TestJobsStartup.GatedJobName),
            runs => runs.Any(r => r.Outcome == "Succeeded"), Patience, "the killed instance's job to run again on the survivor",
            runs => $"{string.Join("; ", runs)}\n{survivor.OutputTail()}");
        var ticks = await Eventually.UntilAsync(() => RunsAsync(database, TestJobsStartup.TickJobName),
            runs => runs.Count(r => r.StartedAtUtc > killedAt && r.Node == survivor.Node && r.EndedAtUtc is not null) >= 3, Patience,
            "three ticks on the survivor after the kill");

        Assert.Collection(recovered,
            killed => Assert.Equal(("Interrupted", false, victim.Node), (killed.Outcome, killed.Recovering, killed.Node)),
            again => Assert.Equal(("Succeeded", true, survivor.Node), (again.Outcome, again.Recovering, again.Node)));
        Assert.Equal(survivor.Node, Assert.Single(await EffectsAsync(database, key)).Node);

        // Once per firing across the cluster: in the history and in the job's own effect.
        Assert.All(ticks.GroupBy(t => (t.TriggerName, t.ScheduledAtUtc, t.Attempt)), firing => Assert.Single(firing));
        Assert.All((await AttemptsAsync(database, "tick:")).GroupBy(t => t.Key), firing => Assert.Single(firing));
        Assert.Equal(new[] { a.Node, b.Node }.Order(), ticks.Concat(recovered).Select(r => r.Node).Distinct().Order());

        var firstTick = ticks.Where(t => t.StartedAtUtc > killedAt && t.Node == survivor.Node).Min(t => t.StartedAtUtc);
        output.WriteLine($"Ticks before the kill: {ticks.Count(t => t.StartedAtUtc <= killedAt)} "
            + $"({ticks.Count(t => t.StartedAtUtc <= killedAt && t.Node == victim.Node)} on the node killed)");
        output.WriteLine($"Kill → first tick on the survivor: {(firstTick - killedAt).TotalSeconds:0.0} s");
        output.WriteLine($"Kill → the killed node's job running again on the survivor: {(recovered[1].StartedAtUtc - killedAt).TotalSeconds:0.0} s");
    }

    private static async Task<IReadOnlyList<TestJobTables.Run>> RunsAsync(ProcessDatabase database, string job)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.RunsAsync(owner, job);
    }

    private static async Task<IReadOnlyList<TestJobTables.Attempt>> AttemptsAsync(ProcessDatabase database, string keyPrefix)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.AttemptsAsync(owner, keyPrefix);
    }

    private static async Task<IReadOnlyList<TestJobTables.Effect>> EffectsAsync(ProcessDatabase database, string key)
    {
        await using var owner = await database.OpenOwnerAsync();
        return await TestJobTables.EffectsAsync(owner, key);
    }
}
