using SaasStarter.Api;
using SaasStarter.Projects.Api;

namespace SaasStarter.Projects;

public static class ProjectsModule
{
    /// <summary>The projects API (the pages are found by Razor Pages on their own).</summary>
    public static WebApplicationBuilder AddProjects(this WebApplicationBuilder builder)
    {
        builder.Services.AddApiModule<ProjectsApi>();
        return builder;
    }
}
