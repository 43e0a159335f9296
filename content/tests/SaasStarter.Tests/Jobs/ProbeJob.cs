using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SaasStarter.Jobs;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// A test-only per-workspace job its owners may run now (the app ships none on this branch): registered in the
/// catalog, with its work in DI and its detail stored in the scheduler, exactly as <c>AddTenantJob</c> would.
/// </summary>
internal sealed class ProbeWork : ITenantJob
{
    public static readonly JobDefinition Definition = new("test-probe", "A test job that does nothing, per workspace.")
    {
        PerTenant = true,
        TenantTriggerable = true,
        JobType = typeof(TenantJobRunner<ProbeWork>),
    };

    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class JobTestSupport
{
    private static readonly ConditionalWeakTable<AppFactory, object> Prepared = [];

    /// <summary>Adds <see cref="ProbeWork"/> to the app of <paramref name="factory"/>; call before its first use.</summary>
    public static void WithProbeJob(this AppFactory factory)
    {
        if (Prepared.TryGetValue(factory, out _)) return;
        Prepared.Add(factory, new object());
        factory.WithServices(services =>
        {
            services.AddScoped<ProbeWork>();
            services.AddSingleton(ProbeWork.Definition);
        });
    }

    /// <summary>The scheduler, once the app has started it, with the probe job's detail stored (idempotent).</summary>
    public static async Task<IScheduler> SchedulerAsync(this AppFactory factory)
    {
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await Eventually.UntilAsync(() => Task.FromResult(scheduler.Status == SchedulerStatus.Running), JobRunWaiter.Timeout,
            "the scheduler to run", () => scheduler.Status.ToString());
        await scheduler.AddJob(JobBuilder.Create().OfType(ProbeWork.Definition.JobType).WithIdentity(ProbeWork.Definition.Key).StoreDurably().Build(),
            new AddJobOptions { Replace = true });
        return scheduler;
    }

    /// <summary>Waits until the runs matching <paramref name="match"/> have ended, and returns the first.</summary>
    public static async Task<JobRun> FinishedRunAsync(this AppFactory factory, Expression<Func<JobRun, bool>> match) =>
        (await factory.WaitForRunsAsync(runs => runs.Where(match), 1))[0];
}
