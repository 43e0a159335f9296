using SaasStarter.Api;
using SaasStarter.Audit.Api;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Audit;

/// <summary>The permission this module declares.</summary>
public static class AuditPermissions
{
    public const string Read = "audit.read";
}

/// <summary>
/// The append-only audit log of each tenant (and the operator's own actions on the platform): the actions every module
/// declares, the tenant's page and API to read it, and retention by plan.
/// </summary>
public static class AuditModule
{
    /// <summary>The plan limit that says how long a tenant's audit events are kept.</summary>
    public const string RetentionLimit = "AuditRetentionDays";

    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddCheckedSingleton<AuditActionCatalog>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<OperatorActionLog>();

        builder.AddPermission(AuditPermissions.Read, "Read the workspace's audit log", TenantRole.Admin, apiScope: true);
        builder.AddPlanLimit(new PlanLimit(RetentionLimit, "Audit log retention", "days") { Note = "How long the audit log keeps events." });
        builder.AddRetentionRule(new RetentionRule("audit-events", DeleteExpiredAsync));
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Audit log", "audit", "bi-journal-text", Order: 80)
        {
            Description = "Sign-ins, member changes and settings, as they happened.",
            Permission = AuditPermissions.Read,
        });
        return builder;
    }

    public static WebApplication MapAudit(this WebApplication app)
    {
        AuditEventsApi.Map(app.ApiV1());
        return app;
    }

    /// <summary>
    /// Events older than the tenant's plan keeps them (no limit: kept forever). The one deliberate exception to the
    /// append-only log: retention is what the plan promises. On PostgreSQL the app's role may delete audit events only
    /// once they are a day old (a restrictive policy); no plan keeps less.
    /// </summary>
    private static async Task<int> DeleteExpiredAsync(IServiceProvider services, DateTime now, CancellationToken cancellationToken)
    {
        var tenant = services.GetRequiredService<ITenantContext>().Tenant!;
        if (services.GetRequiredService<PlanCatalog>().Of(tenant.PlanId).Limit(RetentionLimit) is not { } days) return 0;
        var before = now.AddDays(-days);
        var db = services.GetRequiredService<AppDbContext>();
        return await RetentionRules.DeleteInBatchesAsync(
            db.AuditEvents.Where(e => e.OccurredAtUtc < before).OrderBy(e => e.OccurredAtUtc).Select(e => e.Id),
            ids => db.AuditEvents.Where(e => ids.Contains(e.Id)), cancellationToken);
    }
}
