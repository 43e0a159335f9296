using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
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
/// and the job still finishes.
/// </summary>
public abstract class JobContentionTests
{
    private readonly AppFactory factory;

    protected JobContentionTests(AppFactory factory)
    {
        // The writers are the load, not a client to slow down: buckets deep enough for all of their requests.
        this.factory = factory.WithSetting("Api:RateLimits:PerKey:Burst", "1000").WithSetting("Api:RateLimits:PerTenant:Burst", "1000");
    }

    private const int Writers = 4;
    private const int MaxWritesEach = 150;

    [ProviderFact]
    public async Task Web_writes_during_a_large_retention_run_all_succeed_and_so_does_the_job()
    {
        var world = await MemberWorld.FoundAsync(factory);
        // No project limit, 3000 API requests a minute (the writers stay well under), 2555 days of audit log.
        await world.AssignPlanAsync("enterprise");
        await world.AddAuditEventsAsync(12_000, TimeSpan.FromDays(2600), JobWorlds.OldAction);
        var key = await world.CreateKeyAsync([ProjectPermissions.Write]);
        var failures = new ConcurrentBag<string>();
        var during = new ConcurrentBag<(DateTime Start, DateTime End)>();
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            using var api = factory.ApiClient(key);
            var made = 0;
            while (!stop.IsCancellationRequested || made < 5)
            {
                var started = DateTime.UtcNow;
                using var response = await api.PostAsJsonAsync("/api/v1/projects", new { name = $"W{writer}-{made}" });
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                during.Add((started, DateTime.UtcNow));
                made++;
                if (made >= MaxWritesEach) break;
            }
        })).ToList();

        JobRun run;
        try
        {
            run = await factory.RunNowAsync(DataRetention.Definition.Name, world.Tenant.Id);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.Empty(failures);
        run.AssertSucceeded();
        Assert.Equal(0, await world.CountEventsAsync(JobWorlds.OldAction));
        // The writes really overlapped the run.
        Assert.Contains(during, w => w.Start < run.EndedAtUtc && w.End > run.StartedAtUtc);
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : JobContentionTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : JobContentionTests(factory), IClassFixture<PostgresAppFactory>;
}
