using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// Makes "at the same moment" happen instead of hoping for it. Each racer of a <see cref="Race"/> (an HTTP request that
/// carries <see cref="Header"/>, or in-process work run through <see cref="Race.RunAsync{T}"/>) is held at the first
/// <see cref="RacePoint"/> of its database work until every racer has arrived there; then all go on together. The race
/// counts who arrived and who got past, so a test shows that its racers really overlapped: if they were serialised
/// before the point, the first would wait for the others in vain and the race would fail, saying how many came.
/// </summary>
public sealed class RaceGate : DbCommandInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public const string Header = "X-Test-Race";

    /// <summary>How long a racer waits for the others: generous, as it only runs out when a racer never comes.</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static readonly ConditionalWeakTable<AppFactory, RaceGate> Gates = [];

    // The racer whose work runs on this async flow (a request, or a RunAsync), if any.
    private static readonly AsyncLocal<Racer?> Current = new();

    private readonly ConcurrentDictionary<string, Race> races = new(StringComparer.Ordinal);

    private RaceGate()
    {
    }

    /// <summary>The gate of <paramref name="factory"/>'s app, added on first use: call before the app starts (a test class's constructor).</summary>
    public static RaceGate Of(AppFactory factory)
    {
        if (Gates.TryGetValue(factory, out var known)) return known;
        var gate = new RaceGate();
        Gates.Add(factory, gate);
        factory.WithInterceptor(gate).WithServices(services => services.AddSingleton<IStartupFilter>(new MarkRacers(gate)));
        return gate;
    }

    /// <summary>
    /// A race of <paramref name="racers"/>, held at <paramref name="point"/>. With <paramref name="requests"/>, the racers
    /// are also held until that many marked requests have entered the app (some of which never reach the point).
    /// </summary>
    public Race Start(int racers, RacePoint point, int requests = 0)
    {
        var race = new Race(racers, point, requests);
        races[race.Id] = race;
        return race;
    }

    internal static void Join(Race race) => Current.Value = new Racer(race);

    private ValueTask ArriveAsync(RacePoint.Kind kind, DbCommand? command, CancellationToken cancellationToken)
    {
        if (Current.Value is not { Held: false } racer || !racer.Race.Point.Matches(kind, command)) return ValueTask.CompletedTask;
        racer.Held = true;
        racer.AtPoint = true;
        return new ValueTask(racer.Race.ArriveAsync(cancellationToken));
    }

    private static void Leave(RacePoint.Kind kind, DbCommand? command)
    {
        if (Current.Value is not { AtPoint: true } racer || !racer.Race.Point.Matches(kind, command)) return;
        racer.AtPoint = false;
        racer.Race.Pass();
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await ArriveAsync(RacePoint.Kind.Command, command, cancellationToken);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.Command, command);
        return ValueTask.FromResult(result);
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await ArriveAsync(RacePoint.Kind.Command, command, cancellationToken);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.Command, command);
        return ValueTask.FromResult(result);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.Command, command);
        return Task.CompletedTask;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await ArriveAsync(RacePoint.Kind.TransactionStart, null, cancellationToken);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.TransactionStart, null);
        return ValueTask.FromResult(result);
    }

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.TransactionStart, null);
        return Task.CompletedTask;
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        await ArriveAsync(RacePoint.Kind.Save, null, cancellationToken);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.Save, null);
        return ValueTask.FromResult(result);
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(RacePoint.Kind.Save, null);
        return Task.CompletedTask;
    }

    /// <summary>One racer: held once, at its first point.</summary>
    private sealed class Racer(Race race)
    {
        public Race Race { get; } = race;
        public bool Held { get; set; }
        public bool AtPoint { get; set; }
    }

    /// <summary>First in the app's pipeline: a request that names a race of this gate runs as one of its racers.</summary>
    private sealed class MarkRacers(RaceGate gate) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, following) =>
            {
                if (http.Request.Headers.TryGetValue(Header, out var id) && gate.races.TryGetValue(id.ToString(), out var race))
                {
                    race.Entered();
                    Join(race);
                }
                await following(http);
            });
            next(app);
        };
    }
}

/// <summary>Where a <see cref="Race"/> holds its racers: the first point of this kind in each one's database work.</summary>
public sealed record RacePoint(string Name, RacePoint.Kind At, string? CommandText = null)
{
    public enum Kind { TransactionStart, Save, Command }

    /// <summary>Just before a transaction begins; on SQLite that is BEGIN IMMEDIATE, where a writer takes the file's one write lock.</summary>
    public static readonly RacePoint TransactionStart = new("the start of a transaction", Kind.TransactionStart);

    /// <summary>Just before changes are saved: by then the unit of work has read everything it decides from.</summary>
    public static readonly RacePoint Save = new("saving changes", Kind.Save);

    /// <summary>Just before a command whose text contains <paramref name="text"/>.</summary>
    public static RacePoint Command(string text) => new($"a command with '{text}'", Kind.Command, text);

    /// <summary>Where a workspace's <c>LimitLock</c> is taken: its advisory lock on PostgreSQL, the write lock (a transaction's start) on SQLite.</summary>
    public static RacePoint LimitLock(AppFactory factory) =>
        factory.ProviderName == "Postgres" ? Command("pg_advisory_xact_lock") : TransactionStart;

    internal bool Matches(Kind kind, DbCommand? command) =>
        kind == At && (CommandText is null || command?.CommandText.Contains(CommandText, StringComparison.Ordinal) == true);
}

/// <summary>One race of a <see cref="RaceGate"/>: how many racers it waits for, and what they did.</summary>
public sealed class Race
{
    private readonly TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int requests;
    private int arrived;
    private int passed;
    private int entered;

    internal Race(int racers, RacePoint point, int requests)
    {
        Racers = racers;
        Point = point;
        this.requests = requests;
    }

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public int Racers { get; }

    public RacePoint Point { get; }

    /// <summary>Racers that reached the point (a racer arriving after the others went on is counted too, and not held).</summary>
    public int Arrived => Volatile.Read(ref arrived);

    /// <summary>Racers whose operation at the point is done: the transaction began, the save or the command ended (or failed).</summary>
    public int Passed => Volatile.Read(ref passed);

    /// <summary>Completes once every racer is at the point (and, if asked, every marked request has entered the app).</summary>
    public Task AllArrived => allArrived.Task;

    /// <summary>The headers that make a request a racer, added to <paramref name="headers"/>.</summary>
    public Dictionary<string, string> Mark(Dictionary<string, string>? headers = null) =>
        new(headers ?? []) { [RaceGate.Header] = Id };

    /// <summary>Runs in-process work as one racer.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        // Set inside this async method, the racer belongs to this work's flow only.
        RaceGate.Join(this);
        return await work();
    }

    /// <summary>Waits, generously, until every racer is at the point; fails saying how many came.</summary>
    public async Task WaitUntilAllArrivedAsync()
    {
        try
        {
            await AllArrived.WaitAsync(RaceGate.Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Only {Arrived} of {Racers} racers reached {Point.Name} within {RaceGate.Patience.TotalSeconds:0} s.");
        }
    }

    internal void Entered()
    {
        Interlocked.Increment(ref entered);
        ReleaseIfAllCame();
    }

    internal async Task ArriveAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref arrived);
        ReleaseIfAllCame();
        try
        {
            await allArrived.Task.WaitAsync(RaceGate.Patience, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Arrived} of {Racers} racers reached {Point.Name} (and {Volatile.Read(ref entered)} of {requests} requests came) "
                + $"within {RaceGate.Patience.TotalSeconds:0} s: the racers did not run at the same time.");
        }
    }

    internal void Pass() => Interlocked.Increment(ref passed);

    private void ReleaseIfAllCame()
    {
        if (Arrived >= Racers && Volatile.Read(ref entered) >= requests) allArrived.TrySetResult();
    }
}
