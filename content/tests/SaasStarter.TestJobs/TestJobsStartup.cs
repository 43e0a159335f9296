using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Tenancy;

[assembly: HostingStartup(typeof(SaasStarter.TestJobs.TestJobsStartup))]

namespace SaasStarter.TestJobs;

/// <summary>
/// What the process tests and the jobs benchmark add to the built app. Its jobs join the app's catalog the way a module's
/// do (a hosting startup's services are added while the builder is created, before <c>AddJobs</c> reads the catalog), and
/// a few endpoints under <see cref="Root"/>, ahead of the app's pipeline, schedule them; the harness reads the outcome
/// from the database, which outlives a killed process.
/// </summary>
public sealed class TestJobsStartup : IHostingStartup, IStartupFilter
{
    public const string Root = "/test-jobs";
    public const string GatedJobName = "test-gated";
    public const string TickJobName = "test-tick";
    public const string TrivialJobName = "test-trivial";
    public const string TenantJobName = "test-tenant-noop";
    private const string Group = "test";

    public void Configure(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.AddSingleton<IStartupFilter>(this);
        // What JobsModule.AddPlatformJob and AddTenantJob do; they need the WebApplicationBuilder, which a hosting startup never sees.
        services.AddJob(GatedJob.Definition with { JobType = typeof(GatedJob) });
        services.AddJob(TickJob.Definition with { JobType = typeof(TickJob) });
        services.AddJob(TrivialJob.Definition with { JobType = typeof(TrivialJob) });
        services.AddScoped<TenantNoop>();
        services.AddJob(TenantNoop.Definition with { PerTenant = true, JobType = typeof(TenantJobRunner<TenantNoop>) });
    });

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map($"{Root}/node", branch => branch.Run(NodeAsync));
        app.Map($"{Root}/gated", branch => branch.Run(GatedAsync));
        app.Map($"{Root}/ticks", branch => branch.Run(TicksAsync));
        app.Map($"{Root}/trivial", branch => branch.Run(TrivialAsync));
        app.Map($"{Root}/tenants", branch => branch.Run(TenantsAsync));
        app.Map($"{Root}/fan-out", branch => branch.Run(FanOutAsync));
        next(app);
    };

    /// <summary>This process's scheduler instance: the Node its runs record.</summary>
    private static async Task NodeAsync(HttpContext http) =>
        await http.Response.WriteAsync((await SchedulerAsync(http)).SchedulerInstanceId);

    /// <summary>?key=: one firing of the gated job, now.</summary>
    private static async Task GatedAsync(HttpContext http)
    {
        var key = http.Request.Query["key"].ToString();
        if (key.Length == 0) throw new BadHttpRequestException("key is required.");
        var trigger = TriggerBuilder.Create().WithIdentity($"{GatedJobName}.{key}", Group).ForJob(GatedJob.Definition.Key)
            .UsingJobData(GatedJob.KeyData, key).StartNow().Build();
        await (await SchedulerAsync(http)).ScheduleJob(trigger, new ScheduleJobOptions(), http.RequestAborted);
    }

    /// <summary>?seconds=: the tick job, every so many seconds from now on.</summary>
    private static async Task TicksAsync(HttpContext http)
    {
        var seconds = Number(http, "seconds");
        var trigger = TriggerBuilder.Create().WithIdentity($"{TickJobName}.schedule", Group).ForJob(TickJob.Definition.Key)
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever()).StartNow().Build();
        await (await SchedulerAsync(http)).ScheduleJob(trigger, new ScheduleJobOptions(), http.RequestAborted);
    }

    /// <summary>?count=: that many one-off firings of the trivial job, stored in one call.</summary>
    private static async Task TrivialAsync(HttpContext http)
    {
        var count = Number(http, "count");
        var scheduler = await SchedulerAsync(http);
        var detail = await scheduler.GetJobDetail(TrivialJob.Definition.Key, http.RequestAborted)
            ?? throw new InvalidOperationException("The trivial job is not stored yet.");
        var batch = Guid.NewGuid().ToString("N");
        var triggers = Enumerable.Range(0, count)
            .Select(i => TriggerBuilder.Create().WithIdentity($"{TrivialJobName}.{batch}.{i}", Group).ForJob(detail.Key).StartNow().Build())
            .ToList();
        // Replace: the job is stored already (its triggers are new); the batch call stores it with them.
        await scheduler.ScheduleJobs(new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> { [detail] = triggers },
            new ScheduleJobOptions { Replace = true }, http.RequestAborted);
    }

    /// <summary>?count=: that many new active workspaces (platform rows: no members needed for a job to run).</summary>
    private static async Task TenantsAsync(HttpContext http)
    {
        var count = Number(http, "count");
        var batch = Guid.NewGuid().ToString("N")[..8];
        for (var start = 0; start < count; start += 500)
        {
            await using var scope = http.RequestServices.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Tenants.AddRange(Enumerable.Range(start, Math.Min(500, count - start))
                .Select(i => new Tenant { Name = $"Bench {i}", Slug = $"bench-{batch}-{i}" }));
            await db.SaveChangesAsync(http.RequestAborted);
        }
    }

    /// <summary>Fires the fan-out of the per-workspace test job now, as its schedule would.</summary>
    private static async Task FanOutAsync(HttpContext http)
    {
        var trigger = TriggerBuilder.Create().WithIdentity($"{TenantJobName}.fan-out.{Guid.NewGuid():N}", Group)
            .ForJob(TenantFanOut.Key).UsingJobData(JobData.Target, TenantJobName).StartNow().Build();
        await (await SchedulerAsync(http)).ScheduleJob(trigger, new ScheduleJobOptions(), http.RequestAborted);
    }

    private static Task<IScheduler> SchedulerAsync(HttpContext http) =>
        http.RequestServices.GetRequiredService<ISchedulerFactory>().GetScheduler(http.RequestAborted).AsTask();

    private static int Number(HttpContext http, string name) =>
        int.TryParse(http.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 100_000
            ? value
            : throw new BadHttpRequestException($"{name} must be a whole number from 1 to 100000.");
}
