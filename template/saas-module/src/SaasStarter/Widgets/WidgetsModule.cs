using Microsoft.EntityFrameworkCore;
#if (api)
using SaasStarter.Api;
#endif
using SaasStarter.Audit;
using SaasStarter.Core;
#if (hasFeature)
using SaasStarter.Features;
#endif
#if (PlanLimit)
using SaasStarter.Plans;
#endif
using SaasStarter.Tenancy;
#if (api)
using SaasStarter.Widgets.Api;
#endif

namespace SaasStarter.Widgets;

/// <summary>The permissions this module declares (also API scopes).</summary>
public static class WidgetPermissions
{
    public const string Read = "widgets.read";
    public const string Write = "widgets.write";
}

/// <summary>The audit actions this module records.</summary>
public static class WidgetAudit
{
    public const string Created = "widgetname.created";
    public const string Updated = "widgetname.updated";
    public const string Deleted = "widgetname.deleted";
}
#if (hasFeature)

/// <summary>The feature flag the module's pages and endpoints are gated on: off for a workspace, they answer 404 there.</summary>
public static class WidgetFeatures
{
    public const string Flag = "WidgetsFeature";
}
#endif

/// <summary>
/// The widgets module: a workspace's widgets, with everything the module contributes to the shared catalogs declared
/// here. A module is its folder and its lines in Program.cs.
/// </summary>
public static class WidgetsModule
{
#if (PlanLimit)
    /// <summary>The plan limit on the number of widgets (a plan sets it under Plans:Catalog:N:Limits:Widgets).</summary>
    public const string Limit = "Widgets";

#endif
    public static WebApplicationBuilder AddWidgets(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WidgetWrites>();

#if (api)
        builder.AddPermission(WidgetPermissions.Read, "See the widgets", TenantRole.Viewer, apiScope: true);
        builder.AddPermission(WidgetPermissions.Write, "Create, change and delete widgets", TenantRole.Member, apiScope: true);
#else
        builder.AddPermission(WidgetPermissions.Read, "See the widgets", TenantRole.Viewer);
        builder.AddPermission(WidgetPermissions.Write, "Create, change and delete widgets", TenantRole.Member);
#endif
        builder.AddAuditAction(WidgetAudit.Created, "Widget created");
        builder.AddAuditAction(WidgetAudit.Updated, "Widget changed");
        builder.AddAuditAction(WidgetAudit.Deleted, "Widget deleted");
#if (hasFeature)
        builder.AddFeatureFlag(new FeatureFlag(WidgetFeatures.Flag, "The widgets: their pages and API.", OnByDefault: true, OwnerToggleable: true));
#endif
#if (PlanLimit)
        builder.AddPlanLimit(new PlanLimit(Limit, "Widgets", "widgets")
        {
            Usage = (db, cancellationToken) => db.Widgets.CountAsync(cancellationToken),
            WhenReached = "Delete one or change plan to create more.",
        });
#endif
#if (pages)
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Widgets", "widgets", "bi-box", Order: 20)
        {
            Permission = WidgetPermissions.Read,
#if (hasFeature)
            Feature = WidgetFeatures.Flag,
#endif
        });
#endif
        return builder;
    }
#if (api)

    public static WebApplication MapWidgets(this WebApplication app)
    {
        WidgetsApi.Map(app.ApiV1());
        return app;
    }
#endif
}
