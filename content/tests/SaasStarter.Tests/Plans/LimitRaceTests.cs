using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Plans;

/// <summary>
/// Creates at the same moment one below a limit: exactly one gets the last place, the others a clean plan-limit refusal
/// (never a 500, never one too many). <see cref="LimitLock"/> is what makes the count and the insert one step. The
/// racers are held where the lock is taken until all of them are there (<see cref="RaceGate"/>): none has counted yet,
/// and every one wants the last place at once.
/// </summary>
public abstract class LimitRaceTests
{
    private const int Limit = SmallPlan<SqliteAppFactory>.Limit;
    private const int Racers = 8;

    private readonly AppFactory factory;
    private readonly RaceGate gate;

    protected LimitRaceTests(AppFactory factory)
    {
        this.factory = factory;
        gate = RaceGate.Of(factory);
    }

    [ProviderFact]
    public async Task Parallel_project_creates_at_one_below_the_limit_let_exactly_one_through()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.SeedProjectsAsync(Limit - 1);
        var key = await world.CreateKeyAsync([ProjectPermissions.Write]);
        var race = gate.Start(Racers, RacePoint.LimitLock(factory));

        // Half with an Idempotency-Key, whose filter holds a transaction of its own that the lock joins.
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            factory.PostJsonAsync(key, "/api/v1/projects", new { name = $"Racer {i}" }, i % 2 == 0 ? $"race-{i}" : null, race)));

        Assert.Equal(Racers, race.Arrived);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(Racers - 1, (await Task.WhenAll(responses.Select(r => r.IsPlanLimitAsync()))).Count(refused => refused));
        var written = await Written.InAsync(factory, world.Tenant);
        Assert.Equal(Limit, written.Projects);
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == ProjectAudit.Created)));
    }

    [ProviderFact]
    public async Task Parallel_invitations_at_one_below_the_limit_let_exactly_one_through()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.AddAsync(TenantRole.Member);
        var key = await world.CreateKeyAsync([MemberPermissions.Invite]);
        var before = await Written.InAsync(factory, world.Tenant);
        var race = gate.Start(Racers, RacePoint.LimitLock(factory));

        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            factory.PostJsonAsync(key, "/api/v1/invitations", new { email = AccountFlows.UniqueEmail($"racer{i}"), role = "Member" }, race: race)));

        Assert.Equal(Racers, race.Arrived);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(Racers - 1, (await Task.WhenAll(responses.Select(r => r.IsPlanLimitAsync()))).Count(refused => refused));
        var written = await Written.InAsync(factory, world.Tenant);
        Assert.Equal((before.Invitations + 1, before.OutboxEmails + 1, before.AuditEvents + 1),
            (written.Invitations, written.OutboxEmails, written.AuditEvents));
    }

    /// <summary>
    /// The create is shown waiting at the lock, not merely slow: it has reached the point where the lock is taken and has
    /// not got past it while the test holds the lock (on PostgreSQL the server also lists it among the lock's waiters);
    /// once the holder commits it goes on, and counts what the holder saved.
    /// </summary>
    [ProviderFact]
    public async Task A_create_waits_while_another_holds_the_workspaces_lock_and_then_counts_what_it_saved()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.SeedProjectsAsync(Limit - 1);
        var other = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Write]);
        var otherKey = await other.CreateKeyAsync([ProjectPermissions.Write]);
        var atLock = gate.Start(1, RacePoint.LimitLock(factory));

        await using (var scope = world.OwnerScope(out var db))
        {
            await using var held = await LimitLock.TakeAsync(db, world.Tenant.Id);
            db.Projects.Add(new Project { Name = "Saved under the lock" });
            await db.SaveChangesAsync();

            var waiting = factory.PostJsonAsync(key, "/api/v1/projects", new { name = "Waits" }, race: atLock);
            await atLock.WaitUntilAllArrivedAsync();
            if (factory is PostgresAppFactory)
            {
                await Eventually.UntilAsync(async () => await WaitersAsync(world.Tenant.Id) == 1, TimeSpan.FromSeconds(120),
                    "PostgreSQL to list the create among the waiters for the workspace's advisory lock");
                // Only this workspace waits: on PostgreSQL another workspace's create goes ahead meanwhile (SQLite has one writer).
                using var elsewhere = await factory.PostJsonAsync(otherKey, "/api/v1/projects", new { name = "Elsewhere" });
                Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
            }
            // While the lock is held the create cannot get past it: on SQLite its BEGIN IMMEDIATE waits for this transaction.
            Assert.Equal(0, atLock.Passed);
            Assert.False(waiting.IsCompleted, "the create answered while the lock was held");

            await held.CommitAsync();
            using var answered = await waiting;
            Assert.Equal(1, atLock.Passed);
            Assert.True(await answered.IsPlanLimitAsync(), $"answered {(int)answered.StatusCode}");
        }
        Assert.Equal(Limit, (await Written.InAsync(factory, world.Tenant)).Projects);
    }

    /// <summary>The sessions PostgreSQL lists as waiting for the workspace's limit lock (an advisory lock keyed by its id).</summary>
    private Task<int> WaitersAsync(Guid tenantId) => factory.WithScopeAsync(sp =>
    {
        long key = LimitLock.KeyOf(tenantId) & 0xFFFFFFFFL; // pg_locks shows the key as an unsigned oid
        return sp.GetRequiredService<AppDbContext>().Database
            .SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid::bigint = {key}")
            .SingleAsync();
    });

    public sealed class OnSqlite(SmallPlan<SqliteAppFactory> plan) : LimitRaceTests(plan.Factory), IClassFixture<SmallPlan<SqliteAppFactory>>;

    public sealed class OnPostgres(SmallPlan<PostgresAppFactory> plan)
        : LimitRaceTests(plan.Factory), IClassFixture<SmallPlan<PostgresAppFactory>>, IRunsOnPostgres;
}

/// <summary>The advisory lock's key of a workspace.</summary>
public sealed class LimitLockKeyTests
{
    [Fact]
    public void Workspaces_get_lock_keys_from_their_whole_id()
    {
        var first = Guid.CreateVersion7();
        var keys = Enumerable.Range(0, 1000).Select(_ => LimitLock.KeyOf(Guid.CreateVersion7())).Append(LimitLock.KeyOf(first)).ToHashSet();

        Assert.Equal(LimitLock.KeyOf(first), LimitLock.KeyOf(new Guid(first.ToString())));
        Assert.True(keys.Count > 990, $"only {keys.Count} keys for 1001 workspaces made the same millisecond");
    }
}
