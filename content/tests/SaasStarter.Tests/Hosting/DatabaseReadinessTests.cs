using System.Net;
using System.Text.Json;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// With <c>Database:MigrateOnStartup=false</c> (the PostgreSQL default) the app starts, says it is alive but not
/// ready, and becomes ready once the <c>migrate</c> verb has run: the order a deployment follows.
/// </summary>
public abstract class DatabaseReadinessTests
{
    protected abstract AppFactory NewFactory();

    [ProviderFact]
    public async Task Ready_answers_503_until_the_migrate_verb_has_run()
    {
        await using var factory = NewFactory().WithSetting("Database:MigrateOnStartup", "false");
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var before = await client.GetAsync("/health/ready");
        var beforeText = await before.Content.ReadAsStringAsync();
        Assert.True(before.StatusCode == HttpStatusCode.ServiceUnavailable, $"Before migrating: {(int)before.StatusCode} {beforeText}");
        Assert.Equal("Unhealthy", JsonDocument.Parse(beforeText).RootElement.GetProperty("status").GetString());

        var migrate = await AppProcess.RunAsync(["migrate"], factory.EnvironmentVariables(), TimeSpan.FromSeconds(120));
        Assert.True(migrate.ExitCode == 0 && !migrate.TimedOut, migrate.ToString());

        var after = await client.GetAsync("/health/ready");
        var afterText = await after.Content.ReadAsStringAsync();
        Assert.True(after.StatusCode == HttpStatusCode.OK, $"After migrating: {(int)after.StatusCode} {afterText}");
        Assert.Equal("Healthy", JsonDocument.Parse(afterText).RootElement.GetProperty("status").GetString());
    }

    public sealed class OnSqlite : DatabaseReadinessTests
    {
        protected override AppFactory NewFactory() => new SqliteAppFactory();
    }

    public sealed class OnPostgres : DatabaseReadinessTests, IRunsOnPostgres
    {
        protected override AppFactory NewFactory() => new PostgresAppFactory();
    }
}
