using System.Diagnostics;
using System.Globalization;
using SaasStarter.Benchmarks.ApiLoad;
using SaasStarter.TestJobs;

namespace SaasStarter.Benchmarks.Jobs;

/// <summary>
/// <c>jobs</c>: publishes the app and starts it as the container would, with SaasStarter.TestJobs loaded into it by a
/// startup hook (its jobs join the app's catalog; the app is not changed), on SQLite and, when
/// <see cref="BenchDatabase.PostgresVariable"/> names a server, on PostgreSQL. It measures how many one-off jobs per
/// second the store and the run history sustain, how long a fan-out to many workspaces takes, and (PostgreSQL: two
/// instances) how long after a node's death the other takes over. Timings come from the run history's own timestamps and
/// a stopwatch; they are one run's, on whatever else the machine is doing.
/// </summary>
internal static class JobsRun
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    /// <summary>Checking in every 2 s, a cluster node is presumed dead 4 s after its last check-in.</summary>
    private const int CheckinSeconds = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = JobsOptions.Parse(args);
        var folder = Directory.CreateTempSubdirectory("saasstarter-jobs-bench-");
        try
        {
            var appDll = await ApiLoadRun.PublishAsync(folder.FullName);
            var measured = new List<JobsReport.Database> { await MeasureAsync(new SqliteBenchDatabase(), appDll, options, cluster: false) };
            if (Environment.GetEnvironmentVariable(BenchDatabase.PostgresVariable) is { Length: > 0 } server)
            {
                measured.Add(await MeasureAsync(await PostgresBenchDatabase.CreateAsync(server), appDll, options, cluster: true));
            }
            JobsReport.Print(Console.Out, measured, options, CheckinSeconds);
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<JobsReport.Database> MeasureAsync(BenchDatabase database, string appDll, JobsOptions options, bool cluster)
    {
        await using (database)
        {
            var settings = new Dictionary<string, string?>(database.Settings)
            {
                ["Jobs:Cluster:CheckinSeconds"] = CheckinSeconds.ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
            };
            var hook = typeof(TestJobsStartup).Assembly;
            await using var app = await LoadedApp.StartAsync(appDll, settings, hook);
            await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.CreateAsync(owner, database.AppRole);

            var throughput = await ThroughputAsync(database, app, options.Jobs);
            var fanOut = await FanOutAsync(database, app, options.Tenants);
            var takeover = cluster ? await TakeoverAsync(database, app, appDll, settings, hook) : null;
            return new JobsReport.Database(database.Description, throughput, fanOut, takeover);
        }
    }

    /// <summary><paramref name="count"/> one-off triggers of a job that does nothing, stored in one call; then until every run has ended.</summary>
    private static async Task<JobsReport.Throughput> ThroughputAsync(BenchDatabase database, LoadedApp app, int count)
    {
        Console.WriteLine($"// {database.Description}: {count} one-off jobs");
        var clock = Stopwatch.StartNew();
        await PostAsync(app, $"/trivial?count={count}");
        var scheduled = clock.Elapsed;
        await UntilAsync(database, app, TestJobsStartup.TrivialJobName, count);
        return new JobsReport.Throughput(count, scheduled, clock.Elapsed - scheduled);
    }

    /// <summary>
    /// <paramref name="tenants"/> new workspaces, then the per-workspace test job's fan-out fired once: until its one-off
    /// runs are all stored (the fan-out's own run has ended: it stores them in one transaction) and until they have all run.
    /// </summary>
    private static async Task<JobsReport.FanOut> FanOutAsync(BenchDatabase database, LoadedApp app, int tenants)
    {
        Console.WriteLine($"// {database.Description}: fan-out to {tenants} workspaces");
        await PostAsync(app, $"/tenants?count={tenants}");
        var clock = Stopwatch.StartNew();
        await PostAsync(app, "/fan-out");
        await UntilAsync(database, app, "fan-out", 1);
        var scheduled = clock.Elapsed;
        await UntilAsync(database, app, TestJobsStartup.TenantJobName, tenants);
        var ran = clock.Elapsed;
        await using var owner = await database.OpenOwnerAsync();
        var runs = await TestJobTables.RunsAsync(owner, TestJobsStartup.TenantJobName);
        if (runs.Count != tenants || runs.Any(r => r.Outcome != "Succeeded") || runs.Select(r => r.TenantId).Distinct().Count() != tenants)
        {
            throw new InvalidOperationException($"Expected {tenants} successful runs, one per workspace; got "
                + string.Join(", ", runs.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key}")));
        }
        return new JobsReport.FanOut(tenants, scheduled, ran);
    }

    /// <summary>
    /// A second instance joins <paramref name="first"/>; a job fires every 2 s and a recoverable job waits at its gate on
    /// one of them, which is then killed (SIGKILL). Measured from the kill: the first firing the survivor runs, and the
    /// killed node's job running again there.
    /// </summary>
    private static async Task<JobsReport.Takeover> TakeoverAsync(BenchDatabase database, LoadedApp first, string appDll,
        IReadOnlyDictionary<string, string?> settings, System.Reflection.Assembly hook)
    {
        Console.WriteLine($"// {database.Description}: two instances, one killed");
        await using var second = await LoadedApp.StartAsync(appDll, settings, hook);
        var nodes = new Dictionary<string, LoadedApp>
        {
            [await NodeAsync(first)] = first,
            [await NodeAsync(second)] = second,
        };
        var key = $"takeover-{Guid.NewGuid():N}";
        await PostAsync(first, "/ticks?seconds=2");
        await PostAsync(first, $"/gated?key={key}");
        var started = await PollAsync(database, async owner => await TestJobTables.AttemptsAsync(owner, key), a => a.Count == 1, "the gated job to start");
        var victim = nodes[started[0].Node];
        var survivor = nodes.Single(n => n.Value != victim).Key;
        await PollAsync(database, owner => TestJobTables.EndedRunsAsync(owner, TestJobsStartup.TickJobName), n => n >= 2, "two ticks");

        var killedAt = DateTime.UtcNow;
        victim.Kill();
        await using (var owner = await database.OpenOwnerAsync()) await TestJobTables.OpenGateAsync(owner, key);
        var recovered = await PollAsync(database, owner => TestJobTables.RunsAsync(owner, TestJobsStartup.GatedJobName),
            runs => runs.Any(r => r.Recovering && r.Outcome == "Succeeded"), "the killed node's job to run again");
        var ticks = await PollAsync(database, owner => TestJobTables.RunsAsync(owner, TestJobsStartup.TickJobName),
            runs => runs.Any(r => r.Node == survivor && r.StartedAtUtc > killedAt), "a tick on the survivor");
        var duplicates = ticks.GroupBy(t => (t.TriggerName, t.ScheduledAtUtc, t.Attempt)).Count(g => g.Count() > 1);
        if (duplicates > 0) throw new InvalidOperationException($"{duplicates} firings ran twice across the cluster.");
        return new JobsReport.Takeover(
            ticks.Where(t => t.Node == survivor && t.StartedAtUtc > killedAt).Min(t => t.StartedAtUtc) - killedAt,
            recovered.Single(r => r.Recovering).StartedAtUtc - killedAt);
    }

    private static async Task<string> NodeAsync(LoadedApp app) =>
        await app.Client.GetStringAsync(new Uri($"{TestJobsStartup.Root}/node", UriKind.Relative));

    private static async Task PostAsync(LoadedApp app, string pathAndQuery)
    {
        using var response = await app.Client.PostAsync(new Uri(TestJobsStartup.Root + pathAndQuery, UriKind.Relative), content: null);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {pathAndQuery} answered {(int)response.StatusCode}:\n{app.OutputTail()}");
        }
    }

    private static Task UntilAsync(BenchDatabase database, LoadedApp app, string job, int ended) =>
        PollAsync(database, owner => TestJobTables.EndedRunsAsync(owner, job), n => n >= ended, $"{ended} ended runs of {job}", app);

    private static async Task<T> PollAsync<T>(BenchDatabase database, Func<System.Data.Common.DbConnection, Task<T>> probe, Func<T, bool> done,
        string waitingFor, LoadedApp? app = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            T value;
            await using (var owner = await database.OpenOwnerAsync()) value = await probe(owner);
            if (done(value)) return value;
            if (clock.Elapsed > Patience) throw new TimeoutException($"Still waiting for {waitingFor} after {Patience}:\n{app?.OutputTail()}");
            await Task.Delay(100);
        }
    }
}
