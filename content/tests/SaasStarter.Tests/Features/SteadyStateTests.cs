using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.FeatureManagement;
using SaasStarter.Features;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Features;

/// <summary>
/// Flag checks cost no query once a workspace's overrides are cached (the default 30 s), and a change made on an
/// instance counts on that instance's next request.
/// </summary>
public abstract class SteadyStateTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Checking_every_flag_a_hundred_times_sends_no_query_once_warm()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var log = new SqlCommandLog();
        // The cache's clock stands still: the entry is as fresh at the last check as at the first, however slow the machine.
        await using var app = CacheClock.On(log.Attach(factory), new FakeTimeProvider(DateTimeOffset.UtcNow));
        // Cold, a check loads the workspace's overrides (and the count sees it do so).
        Assert.True(await log.CountSentByAsync(() => EnabledAsync(app, world.Tenant, ProjectFeatures.Board)) > 0, "a cold check sent no query");

        var sent = await log.CountSentByAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                foreach (var flag in factory.FeatureFlags) await EnabledAsync(app, world.Tenant, flag);
            }
        });

        Assert.Equal(0, sent);
    }

    [ProviderFact]
    public async Task A_switch_counts_on_the_next_request_of_the_same_instance()
    {
        var world = await MemberWorld.FoundAsync(factory);
        Assert.False(await EnabledAsync(factory, world.Tenant, ProjectFeatures.Board));

        await InWorkspaceAsync(factory, world.Tenant, sp => sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(ProjectFeatures.Board, true));
        Assert.True(await EnabledAsync(factory, world.Tenant, ProjectFeatures.Board));

        await factory.WithScopeAsync(sp => sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(world.Tenant.Id, ProjectFeatures.Board, false));
        Assert.False(await EnabledAsync(factory, world.Tenant, ProjectFeatures.Board));
    }

    internal static Task<bool> EnabledAsync(WebApplicationFactory<Program> app, CurrentTenant workspace, string flag) =>
        InWorkspaceAsync(app, workspace, sp => sp.GetRequiredService<IFeatureManager>().IsEnabledAsync(flag));

    internal static async Task<T> InWorkspaceAsync<T>(WebApplicationFactory<Program> app, CurrentTenant workspace, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(workspace, TenantRole.Owner);
        return await act(scope.ServiceProvider);
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : SteadyStateTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SteadyStateTests(factory), IClassFixture<PostgresAppFactory>;
}
