using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Projects;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Jobs;
#if (workspace)
using SaasStarter.Tests.Members;
#endif

namespace SaasStarter.Tests.Projects;

/// <summary>The job through the app's real scheduler ("run now"), waiting on its recorded run, never on time.</summary>
public abstract class DailyDigestTests(AppFactory factory)
{
#if (workspace)
    [ProviderFact]
    public async Task It_runs_inside_the_workspace_once_a_day_however_often_it_is_run()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var other = await MemberWorld.FoundAsync(factory);

        (await factory.RunNowAsync(DailyDigest.Definition.Name, world.Tenant.Id)).AssertSucceeded();
        var first = Assert.Single(await RanAsync(world));
        (await factory.RunNowAsync(DailyDigest.Definition.Name, world.Tenant.Id)).AssertSucceeded();

        // The second run found the day's record (a run after midnight would record the next day, never the same one again).
        Assert.Single(await RanAsync(world), e => e.Target == first.Target);
        Assert.Contains("\"members\":1", first.Detail, StringComparison.Ordinal);
        Assert.Empty(await RanAsync(other));
    }

    private Task<List<AuditEvent>> RanAsync(MemberWorld world) =>
        factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().Where(e => e.Action == DailyDigest.Ran).ToListAsync());
#else
    [ProviderFact]
    public async Task It_runs_for_the_platform_and_succeeds()
    {
        var run = await factory.RunNowAsync(DailyDigest.Definition.Name, tenantId: null);

        run.AssertSucceeded();
        Assert.Null(run.TenantId);
    }
#endif

    public sealed class OnSqlite(SqliteAppFactory factory) : DailyDigestTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : DailyDigestTests(factory), IClassFixture<PostgresAppFactory>;
}
