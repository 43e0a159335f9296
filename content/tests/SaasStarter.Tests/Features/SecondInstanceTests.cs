using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SaasStarter.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Features;

/// <summary>
/// A change made on one instance reaches another (same database, its own memory) when that one's cache entry expires
/// (<c>Features:CacheSeconds</c>): not before, and not later. The other instance's cache runs on a clock the test moves,
/// so how long the machine takes changes nothing.
/// </summary>
public abstract class SecondInstanceTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Another_instance_sees_an_override_when_its_cache_entry_expires()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var other = CacheClock.On(factory, clock);
        var lifetime = other.Services.GetRequiredService<FeatureOverrideCache>().Lifetime;
        Assert.False(await SteadyStateTests.EnabledAsync(other, world.Tenant, ProjectFeatures.Board)); // cached there now

        await factory.WithScopeAsync(sp => sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(world.Tenant.Id, ProjectFeatures.Board, true));
        Assert.True(await SteadyStateTests.EnabledAsync(factory, world.Tenant, ProjectFeatures.Board));

        clock.Advance(lifetime - TimeSpan.FromSeconds(1));
        Assert.False(await SteadyStateTests.EnabledAsync(other, world.Tenant, ProjectFeatures.Board));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await SteadyStateTests.EnabledAsync(other, world.Tenant, ProjectFeatures.Board));
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : SecondInstanceTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SecondInstanceTests(factory), IClassFixture<PostgresAppFactory>;
}
