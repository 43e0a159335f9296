using System.Net;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Plans;

/// <summary>
/// Creates at the same moment one below a limit: exactly one gets the last place, the others a clean plan-limit refusal
/// (never a 500, never one too many). <see cref="LimitLock"/> is what makes the count and the insert one step.
/// </summary>
public abstract class LimitRaceTests(AppFactory factory)
{
    private const int Limit = SmallPlan<SqliteAppFactory>.Limit;
    private const int Racers = 8;

    [ProviderFact]
    public async Task Parallel_project_creates_at_one_below_the_limit_let_exactly_one_through()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.SeedProjectsAsync(Limit - 1);
        var key = await world.CreateKeyAsync([ProjectPermissions.Write]);

        // Half with an Idempotency-Key, whose filter holds a transaction of its own that the lock joins.
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            factory.PostJsonAsync(key, "/api/v1/projects", new { name = $"Racer {i}" }, i % 2 == 0 ? $"race-{i}" : null)));

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

        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            factory.PostJsonAsync(key, "/api/v1/invitations", new { email = AccountFlows.UniqueEmail($"racer{i}"), role = "Member" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(Racers - 1, (await Task.WhenAll(responses.Select(r => r.IsPlanLimitAsync()))).Count(refused => refused));
        var written = await Written.InAsync(factory, world.Tenant);
        Assert.Equal((before.Invitations + 1, before.OutboxEmails + 1, before.AuditEvents + 1),
            (written.Invitations, written.OutboxEmails, written.AuditEvents));
    }

    [ProviderFact]
    public async Task A_create_waits_while_another_holds_the_workspaces_lock_and_then_counts_what_it_saved()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.SeedProjectsAsync(Limit - 1);
        var other = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Write]);
        var otherKey = await other.CreateKeyAsync([ProjectPermissions.Write]);

        await using (var scope = world.OwnerScope(out var db))
        {
            await using var held = await LimitLock.TakeAsync(db, world.Tenant.Id);
            db.Projects.Add(new Project { Name = "Saved under the lock" });
            await db.SaveChangesAsync();

            var waiting = factory.PostJsonAsync(key, "/api/v1/projects", new { name = "Waits" });
            var finished = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(750)));
            Assert.False(finished == waiting, $"answered {(int)(waiting.IsCompletedSuccessfully ? waiting.Result.StatusCode : 0)} while the lock was held");
            if (factory is PostgresAppFactory)
            {
                // Only this workspace waits: on PostgreSQL another workspace's create goes ahead meanwhile (SQLite has one writer).
                using var elsewhere = await factory.PostJsonAsync(otherKey, "/api/v1/projects", new { name = "Elsewhere" });
                Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
            }

            await held.CommitAsync();
            using var answered = await waiting;
            Assert.True(await answered.IsPlanLimitAsync(), $"answered {(int)answered.StatusCode}");
        }
        Assert.Equal(Limit, (await Written.InAsync(factory, world.Tenant)).Projects);
    }

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
