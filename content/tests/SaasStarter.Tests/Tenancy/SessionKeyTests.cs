using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// The app's replicas may run without the owner's connection (only the migrate step has it): then they sign their
/// row-level security settings with <c>Database:SessionKey</c>, which the migrate step stored. A replica with the wrong key,
/// or with neither key nor owner connection, must stop at start-up naming the setting, not serve empty pages.
/// </summary>
public sealed class SessionKeyTests
{
    [PostgresFact]
    public async Task A_replica_without_the_owner_connection_runs_on_the_stored_key_and_stops_on_a_wrong_or_missing_one()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var factory = new PostgresAppFactory();
        factory.WithSetting("Database:SessionKey", key);
        var world = await MemberWorld.FoundAsync(factory);

        await using var replica = Replica(factory, key);
        Assert.Equal(1, await MembersAsync(replica, world));

        // As processes, as a container runs them: a start-up error is one line naming the setting, and exit code 2.
        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (value, setting) in new[] { (otherKey, "Database:SessionKey"), ("", "ConnectionStrings:Migrations"), ("c2hvcnQ=", "Database:SessionKey") })
        {
            var environment = new Dictionary<string, string>(factory.EnvironmentVariables())
            {
                ["ConnectionStrings__Migrations"] = "",
                ["Database__MigrateOnStartup"] = "false",
                ["Database__SessionKey"] = value,
            };
            var result = await AppProcess.RunAsync([], environment, TimeSpan.FromSeconds(120));
            Assert.False(result.TimedOut, $"Still running with Database:SessionKey '{value}': {result}");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(setting, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        }
    }

    private static WebApplicationFactory<Program> Replica(PostgresAppFactory factory, string key) =>
        factory.WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:Migrations", "")
            .UseSetting("Database:MigrateOnStartup", "false")
            .UseSetting("Database:SessionKey", key));

    private static async Task<int> MembersAsync(WebApplicationFactory<Program> app, MemberWorld world)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Memberships.CountAsync();
    }
}
