using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Tenancy;
using SaasStarter.Tenants.Api;

namespace SaasStarter.Tenants;

/// <summary>The permission this module declares.</summary>
public static class TenantPermissions
{
    public const string Settings = "tenant.settings";
}

/// <summary>The audit actions this module records, in the tenant's own log.</summary>
public static class TenantAudit
{
    public const string Created = "tenant.created";
    public const string SettingsChanged = "tenant.settings_changed";
    public const string Suspended = "operator.tenant_suspended";
    public const string Reactivated = "operator.tenant_reactivated";

    /// <summary>The tenant's plan changed: by the operator, or by whatever calls PlanAssignment (a payment webhook).</summary>
    public const string PlanChanged = "plan.changed";
    public const string FeatureToggled = "feature.toggled";
    public const string FeatureOverridden = "operator.feature_overridden";

    /// <summary>Someone of the tenant ran one of its jobs now from its jobs page; or the operator did, for this tenant.</summary>
    public const string JobTriggered = "job.triggered";
    public const string OperatorJobTriggered = "operator.job_triggered";
}

/// <summary>
/// A tenant's life and entitlements: creating one (sign-up and /tenants/new), its home, its name and address, its plan
/// and features and its jobs as its owners see them, and what the platform operator does to it (suspend, plan, feature
/// overrides). The mechanism that keeps tenants apart is Tenancy's; this module is what people do with tenants.
/// </summary>
public static class TenantsModule
{
    public static WebApplicationBuilder AddTenants(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TenantFounding>();
        builder.Services.AddScoped<TenantSettings>();
        builder.Services.AddScoped<TenantSuspension>();
        builder.Services.AddScoped<PlanAssignment>();
        builder.Services.AddScoped<FeatureSwitches>();

        builder.AddPermission(TenantPermissions.Settings, "Change the workspace's name, address, features and jobs", TenantRole.Admin);
        builder.AddAuditAction(TenantAudit.Created, "Workspace created");
        builder.AddAuditAction(TenantAudit.SettingsChanged, "Workspace settings changed");
        builder.AddAuditAction(TenantAudit.Suspended, "Suspended by the platform operator");
        builder.AddAuditAction(TenantAudit.Reactivated, "Reactivated by the platform operator");
        builder.AddAuditAction(TenantAudit.PlanChanged, "Plan changed");
        builder.AddAuditAction(TenantAudit.FeatureToggled, "Feature switched");
        builder.AddAuditAction(TenantAudit.FeatureOverridden, "Feature overridden by the platform operator");
        builder.AddAuditAction(TenantAudit.JobTriggered, "Job run now");
        builder.AddAuditAction(TenantAudit.OperatorJobTriggered, "Job run now by the platform operator");
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Plan & features", "plan", "bi-stars", Order: 90)
        {
            Description = "Your plan, what you use of it, and the features you can switch.",
            Permission = TenantPermissions.Settings,
        });
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Jobs", "jobs", "bi-clock-history", Order: 95)
        {
            Description = "The background work done for this workspace.",
            Permission = TenantPermissions.Settings,
        });
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Settings", "settings", "bi-gear", Order: 100)
        {
            Description = "The workspace's name and address.",
            Permission = TenantPermissions.Settings,
        });
        return builder;
    }

    public static WebApplication MapTenants(this WebApplication app)
    {
        var v1 = app.ApiV1();
        TenantApi.Map(v1);
        FeaturesApi.Map(v1);
        return app;
    }
}
