using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using Xunit.Abstractions;
using SaasStarter.Projects;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Features;

/// <summary>
/// A change made on one instance reaches another (same database, its own memory) when that one's cache entry expires:
/// Features:CacheSeconds, short here so the test waits little.
/// </summary>
public abstract class SecondInstanceTests(AppFactory factory, ITestOutputHelper output)
{
    private const int CacheSeconds = 2;

    private readonly AppFactory factory = factory.WithSetting("Features:CacheSeconds", CacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [ProviderFact]
    public async Task Another_instance_sees_an_override_when_its_cache_entry_expires()
    {
        var world = await MemberWorld.FoundAsync(factory);
        // A second app on the same database: its own memory, so its own caches.
        var other = new SqlCommandLog().Attach(factory);
        Assert.False(await SteadyStateTests.EnabledAsync(other, world.Tenant, ProjectFeatures.Board));

        await factory.WithScopeAsync(sp => sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(world.Tenant.Id, ProjectFeatures.Board, true));
        var clock = Stopwatch.StartNew();
        while (!await SteadyStateTests.EnabledAsync(other, world.Tenant, ProjectFeatures.Board))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(CacheSeconds * 10), $"The other instance still had the old value after {clock.Elapsed.TotalSeconds:0.0} s.");
            await Task.Delay(50);
        }
        output.WriteLine($"The other instance saw the override after {clock.Elapsed.TotalSeconds:0.00} s (Features:CacheSeconds = {CacheSeconds}).");
    }

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output) : SecondInstanceTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output) : SecondInstanceTests(factory, output), IClassFixture<PostgresAppFactory>;
}
