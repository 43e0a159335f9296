using System.Globalization;
using Microsoft.EntityFrameworkCore;
#if (!workspace)
using Quartz;
#endif
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Jobs;
#if (workspace)
using SaasStarter.Plans;
using SaasStarter.Tenancy;
#endif

namespace SaasStarter.Projects;

#if (workspace)
/// <summary>
/// Each night, once per active workspace, inside it (its query filter and, on PostgreSQL, its row-level security apply):
/// does its work and records it as a <see cref="Ran"/> event whose target is the day. Once per day however often it runs
/// (a retry, a recovered run, an owner's "run now"): the check and the record happen under the workspace's lock.
/// </summary>
public sealed class DailyDigest(AppDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider clock, ILogger<DailyDigest> logger) : ITenantJob
{
    public const string Ran = "daily_digest.ran";

    public static readonly JobDefinition Definition = new("daily-digest", "Runs each night for every workspace.")
    {
        Cron = "0 30 1 * * ?",
        TenantTriggerable = true,
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var workspace = tenant.Tenant ?? throw new InvalidOperationException("This job runs inside a workspace.");
        var day = clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var held = await LimitLock.TakeAsync(db, workspace.Id, cancellationToken);
        if (await db.AuditEvents.AnyAsync(e => e.Action == Ran && e.Target == day, cancellationToken))
        {
            logger.LogInformation("{Job} already ran on {Day} for workspace {Slug}", Definition.Name, day, workspace.Slug);
            return;
        }

        // The job's work goes here, in this transaction: it sees this workspace's rows only.
        var members = await db.Memberships.CountAsync(cancellationToken);

        audit.Add(Ran, day, new { members }, actorEmail: Definition.Name);
        await db.SaveChangesAsync(cancellationToken);
        await held.CommitAsync(cancellationToken);
        logger.LogInformation("{Job} ran on {Day} for workspace {Slug}", Definition.Name, day, workspace.Slug);
    }
}

public static class DailyDigestRegistration
{
    /// <summary>The job, its schedule and the audit action it records: one line in the module's Add method.</summary>
    public static WebApplicationBuilder AddDailyDigest(this WebApplicationBuilder builder)
    {
        builder.AddAuditAction(DailyDigest.Ran, $"{DailyDigest.Definition.Name} ran");
        return builder.AddTenantJob<DailyDigest>(DailyDigest.Definition);
    }
}
#else
/// <summary>Each night, once for the whole app (outside any workspace): its runs are listed on the operator's jobs page.</summary>
[DisallowConcurrentExecution]
public sealed class DailyDigest(AppDbContext db, ILogger<DailyDigest> logger) : IJob
{
    public static readonly JobDefinition Definition = new("daily-digest", "Runs each night for the platform.")
    {
        Cron = "0 30 1 * * ?",
    };

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // The job's work goes here. Outside a workspace no tenant filter applies: count, never read tenants' rows casually.
        var workspaces = await db.Tenants.CountAsync(cancellationToken);
        logger.LogInformation("{Job} ran over {Count} workspaces", Definition.Name, workspaces);
    }
}

public static class DailyDigestRegistration
{
    /// <summary>The job and its schedule: one line in the module's Add method.</summary>
    public static WebApplicationBuilder AddDailyDigest(this WebApplicationBuilder builder) =>
        builder.AddPlatformJob<DailyDigest>(DailyDigest.Definition);
}
#endif
