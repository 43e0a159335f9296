using SaasStarter.Api;
using SaasStarter.Jobs;
using SaasStarter.Projects.Api;

namespace SaasStarter.Projects;

public static class ProjectsModule
{
    /// <summary>The projects API (the pages are found by Razor Pages on their own) and the weekly summary.</summary>
    public static WebApplicationBuilder AddProjects(this WebApplicationBuilder builder)
    {
        builder.Services.AddApiModule<ProjectsApi>();
        builder.AddTenantJob<WeeklySummary>(WeeklySummary.Definition);
        return builder;
    }
}
