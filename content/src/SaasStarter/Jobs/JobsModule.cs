using Quartz;
using SaasStarter.Core;
using SaasStarter.Data;

namespace SaasStarter.Jobs;

/// <summary>
/// Background jobs on Quartz.NET with its ADO.NET store in the app's own database (tables from the app's migrations):
/// schedules and pending firings survive restarts; on PostgreSQL the schedulers of all app instances form one cluster
/// (each firing runs on one node; a dead node's recoverable jobs run again elsewhere). Modules register their jobs with
/// <see cref="AddPlatformJob{TJob}"/> and <see cref="AddTenantJob{TWork}"/>, in any order relative to <see cref="AddJobs"/>
/// (Quartz gathers what every call added when the scheduler starts).
/// </summary>
public static class JobsModule
{
    public static WebApplicationBuilder AddPlatformJob<TJob>(this WebApplicationBuilder builder, JobDefinition definition)
        where TJob : class, IJob
    {
        builder.Services.AddJob(definition with { PerTenant = false, JobType = typeof(TJob) });
        return builder;
    }

    public static WebApplicationBuilder AddTenantJob<TWork>(this WebApplicationBuilder builder, JobDefinition definition)
        where TWork : class, ITenantJob
    {
        builder.Services.AddScoped<TWork>();
        builder.Services.AddJob(definition with { PerTenant = true, JobType = typeof(TenantJobRunner<TWork>) });
        return builder;
    }

    /// <summary>The definition (for the catalog and the pages) and its Quartz job and schedule (complete: JobType and PerTenant set).</summary>
    internal static IServiceCollection AddJob(this IServiceCollection services, JobDefinition definition)
    {
        services.AddSingleton(definition);
        services.AddQuartz(quartz =>
        {
            quartz.AddJob(definition.JobType, job => job.WithIdentity(definition.Key).StoreDurably()
                .RequestRecovery(definition.Recoverable).WithDescription(definition.Description));
            if (definition.Cron is null) return;
            quartz.AddTrigger(trigger =>
            {
                trigger.WithIdentity(definition.ScheduleKey)
                    .WithSchedule(CronScheduleBuilder.Create(definition.Cron).InTimeZone(TimeZoneInfo.Utc))
                    .WithDescription(definition.PerTenant ? "once per active workspace" : "scheduled");
                // A per-tenant job's schedule fires the fan-out, which fires the job once for each active tenant.
                if (definition.PerTenant) trigger.ForJob(TenantFanOut.Key).UsingJobData(JobData.Target, definition.Name);
                else trigger.ForJob(definition.Key);
            });
        });
        return services;
    }

    /// <summary>The scheduler, its store in the app's database, retries, the run history and the built-in jobs.</summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var settings = builder.AddSettings<JobSettings>(JobSettings.Section);
        builder.Services.AddSingleton<JobCatalog>();
        builder.Services.AddSingleton<JobControl>();
        builder.AddPlatformJob<HistoryRetention>(HistoryRetention.Definition);
        builder.AddTenantJob<DataRetention>(DataRetention.Definition);

        // The settings AddData read and checked, not a second reading of them.
        var database = builder.Services.Select(d => d.ImplementationInstance).OfType<DatabaseSettings>().SingleOrDefault()
            ?? throw new InvalidOperationException("Call AddData before AddJobs: the job store lives in the app's database.");
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = builder.Environment.ApplicationName);
            quartz.UsePersistentStore(store =>
            {
                store.ConfigureStore(options => options.TablePrefix = QuartzSchema.TablePrefix);
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = settings.ClusterCheckin;
                        cluster.CheckinMisfireThreshold = settings.ClusterCheckin * 2;
                    });
                }
                else
                {
                    store.UseSqlite(database.ConnectionString);
                }
            });
            if (settings.MaxRetries > 0)
            {
                quartz.UseDefaultRetryPolicy(RetryPolicy.Exponential(settings.MaxRetries, settings.FirstRetryDelay, 2.0, TimeSpan.FromHours(1)));
            }
            quartz.AddJobListener(services => new RunHistory(services.GetRequiredService<IServiceScopeFactory>(),
                services.GetRequiredService<ILogger<RunHistory>>()), [GroupMatcher<JobKey>.AnyGroup()]);
            quartz.AddJob<TenantFanOut>(job => job.WithIdentity(TenantFanOut.Key).StoreDurably()
                .RequestRecovery().WithDescription("Fires a per-workspace job once for each active workspace."));
        });
        // Without it (Jobs:Enabled false) this instance runs no job, but still schedules into the shared store.
        if (settings.Enabled) builder.Services.AddHostedService<SchedulerHost>();
        return builder;
    }
}
