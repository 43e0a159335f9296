using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SaasStarter.Audit;
using SaasStarter.Jobs;
using SaasStarter.Members;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Plans;
using SaasStarter.Projects;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// A job deleting thousands of rows while people keep writing through the API: on SQLite (one writer at a time) the job
/// writes in short batches and every connection waits its turn (busy timeout), so no user sees "database is locked"
/// and the job still finishes. The overlap is made, not hoped for: the run is held between two of its batches while the
/// writers write, and then goes on at the same moment as one of their writes, both wanting the write lock.
/// </summary>
public abstract class JobContentionTests
{
    private const int Writers = 4;
    private const int WritesWhileHeld = 8;
    // Under the buckets below (1000 each), whatever the machine's speed.
    private const int MaxWritesEach = 150;

    private readonly AppFactory factory;
    private readonly RaceGate gate;
    private readonly RetentionPause pause;

    protected JobContentionTests(AppFactory factory)
    {
        // The writers are the load, not a client to slow down: buckets deep enough for all of their requests.
        this.factory = factory.WithSetting("Api:RateLimits:PerKey:Burst", "1000").WithSetting("Api:RateLimits:PerTenant:Burst", "1000");
        gate = RaceGate.Of(factory);
        pause = RetentionPause.Of(factory);
    }

    [ProviderFact]
    public async Task Web_writes_during_a_large_retention_run_all_succeed_and_so_does_the_job()
    {
        var world = await MemberWorld.FoundAsync(factory);
        // No project limit, 3000 API requests a minute, 2555 days of audit log.
        await world.AssignPlanAsync("enterprise");
        await world.AddAuditEventsAsync(12_000, TimeSpan.FromDays(2600), JobWorlds.OldAction);
        var key = await world.CreateKeyAsync([ProjectPermissions.Write]);
        var failures = new ConcurrentBag<string>();
        var written = 0;
        Race? contention = null;
        var runEnded = false;

        var requestedBy = await factory.RequestRunAsync(DataRetention.Definition.Name, world.Tenant.Id);
        await pause.MidRun.WaitAsync(JobRunWaiter.Timeout);

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            using var api = factory.ApiClient(key);
            for (var made = 0; ; made++)
            {
                // The first writer's next write after the threshold is the one that meets the run at the lock.
                var race = writer == 0 ? Interlocked.Exchange(ref contention, null) : null;
                if (race is null && (Volatile.Read(ref runEnded) || made >= MaxWritesEach)) return;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/projects") { Content = JsonContent.Create(new { name = $"W{writer}-{made}" }) };
                if (race is not null) request.Headers.Add(RaceGate.Header, race.Id);
                using var response = await api.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                if (Interlocked.Increment(ref written) == WritesWhileHeld)
                {
                    // Enough writes while the run waited mid-way: it goes on together with one more write.
                    var meeting = gate.Start(2, RacePoint.LimitLock(factory));
                    Volatile.Write(ref contention, meeting);
                    pause.GoOnWith(meeting);
                }
            }
        })).ToList();

        JobRun run;
        try
        {
            run = (await factory.WaitForRunsAsync(runs => runs.Where(r => r.RequestedBy == requestedBy), 1)).Single();
        }
        finally
        {
            Volatile.Write(ref runEnded, true);
            pause.GoOnWith(null); // never leave the run waiting, whatever happened
            await Task.WhenAll(writers);
        }

        Assert.Empty(failures);
        run.AssertSucceeded();
        Assert.Equal(0, await world.CountEventsAsync(JobWorlds.OldAction));
        // The writes really overlapped the run: made while it waited between batches, then one at the lock beside it.
        Assert.True(pause.Meeting is { Arrived: 2 }, $"the run and a write met at the lock: {pause.Meeting?.Arrived ?? 0} of 2 came");
        Assert.True(written > WritesWhileHeld, $"{written} writes");
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : JobContentionTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : JobContentionTests(factory), IClassFixture<PostgresAppFactory>;
}

/// <summary>
/// Holds the app's retention run just before its second batch of audit-event deletes (the run under way, one batch
/// done, no transaction open) until the test says go on: then the batch joins a <see cref="Race"/> with one write.
/// </summary>
internal sealed class RetentionPause : DbCommandInterceptor
{
    private static readonly ConditionalWeakTable<AppFactory, RetentionPause> Pauses = [];

    private readonly TaskCompletionSource midRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Race?> goOn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int batches;

    /// <summary>Completes when the run has reached its second batch and waits there.</summary>
    public Task MidRun => midRun.Task;

    /// <summary>The race the held batch went on in, once it did.</summary>
    public Race? Meeting { get; private set; }

    public static RetentionPause Of(AppFactory factory)
    {
        if (Pauses.TryGetValue(factory, out var known)) return known;
        var pause = new RetentionPause();
        Pauses.Add(factory, pause);
        factory.WithInterceptor(pause);
        return pause;
    }

    /// <summary>Lets the held batch go on, as one racer of <paramref name="race"/> (null: at once, alone).</summary>
    public void GoOnWith(Race? race) => goOn.TrySetResult(race);

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains("DELETE FROM \"AuditEvents\"", StringComparison.Ordinal) && Interlocked.Increment(ref batches) == 2)
        {
            midRun.TrySetResult();
            Meeting = await goOn.Task.WaitAsync(JobRunWaiter.Timeout, cancellationToken);
            if (Meeting is not null) await Meeting.ArriveAsync(cancellationToken);
        }
        return result;
    }
}
