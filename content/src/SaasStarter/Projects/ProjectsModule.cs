using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Features;
using SaasStarter.Jobs;
using SaasStarter.Plans;
using SaasStarter.Projects.Api;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects;

/// <summary>The permissions this module declares.</summary>
public static class ProjectPermissions
{
    public const string Read = "projects.read";
    public const string Write = "projects.write";
}

/// <summary>The audit actions this module records.</summary>
public static class ProjectAudit
{
    public const string Created = "project.created";
    public const string Updated = "project.updated";
    public const string Deleted = "project.deleted";

    /// <summary>The weekly summary records the week it was sent for (and that key keeps it to once a week).</summary>
    public const string WeeklySummarySent = "summary.weekly_sent";
}

/// <summary>The feature flags this module gates on.</summary>
public static class ProjectFeatures
{
    public const string Board = "ProjectBoard";
    public const string Export = "ProjectExport";
    public const string WeeklySummary = "WeeklySummary";
}

/// <summary>
/// The example business module: a tenant's projects, with pages (list, create, edit, archive, board, CSV export), the
/// <c>/api/v1/projects</c> endpoints, a weekly summary email, and everything it contributes to the shared catalogs,
/// declared here. Copy it (or run <c>dotnet new saas-module</c>) for your own domain: a module is its folder and its
/// two lines in Program.cs.
/// </summary>
public static class ProjectsModule
{
    /// <summary>The plan limit on the number of projects.</summary>
    public const string Limit = "Projects";

    public static WebApplicationBuilder AddProjects(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ProjectWrites>();
        builder.AddTenantJob<WeeklySummary>(WeeklySummary.Definition);

        builder.AddPermission(ProjectPermissions.Read, "See the projects", TenantRole.Viewer, apiScope: true);
        builder.AddPermission(ProjectPermissions.Write, "Create, change, archive and delete projects", TenantRole.Member, apiScope: true);
        builder.AddAuditAction(ProjectAudit.Created, "Project created");
        builder.AddAuditAction(ProjectAudit.Updated, "Project changed");
        builder.AddAuditAction(ProjectAudit.Deleted, "Project deleted");
        builder.AddAuditAction(ProjectAudit.WeeklySummarySent, "Weekly summary sent");
        builder.AddFeatureFlag(new FeatureFlag(ProjectFeatures.Board, "Beta: the projects on a board, by status.", OwnerToggleable: true));
        builder.AddFeatureFlag(new FeatureFlag(ProjectFeatures.Export, "Download the projects as a CSV file."));
        builder.AddFeatureFlag(new FeatureFlag(ProjectFeatures.WeeklySummary,
            "A Monday email to owners and admins: the projects created, updated and archived in the past week.", OnByDefault: true, OwnerToggleable: true));
        builder.AddPlanLimit(new PlanLimit(Limit, "Projects", "projects")
        {
            Usage = (db, cancellationToken) => db.Projects.CountAsync(cancellationToken),
            Note = "Active and archived projects.",
            WhenReached = "Delete one or change plan to create more.",
        });
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Projects", "projects", "bi-kanban", Order: 10)
        {
            Description = "The example module: copy it, or generate your own with dotnet new saas-module.",
            Permission = ProjectPermissions.Read,
        });
        return builder;
    }

    public static WebApplication MapProjects(this WebApplication app)
    {
        ProjectsApi.Map(app.ApiV1());
        return app;
    }
}
