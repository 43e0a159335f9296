using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SaasStarter.Api;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Projects.Api;
using SaasStarter.Tenancy;

using SaasStarter.Core;

[assembly: HostingStartup(typeof(SaasStarter.Benchmarks.ApiLoad.BareEndpoint))]

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>
/// What the api-load run adds to the published app, in front of its whole pipeline: <see cref="SetupPath"/> seeds the
/// measured workspace and returns a key to it, and <see cref="BarePath"/> serves <c>GET /api/v1/projects</c>'s own query
/// (the same sort, paging and DTOs, through the app's <see cref="AppDbContext"/> inside the workspace, so the query filter
/// and PostgreSQL's row-level security still apply) with nothing else: no authentication, no tenant resolution, no rate
/// limiting, no routing, no security headers. The difference between the two is what the stack costs.
/// </summary>
public sealed class BareEndpoint : IHostingStartup, IStartupFilter
{
    public const string SetupPath = "/bench/setup";
    public const string BarePath = "/bench/projects";

    private CurrentTenant? workspace;

    public void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(this));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map(SetupPath, setup => setup.Run(SetUpAsync));
        app.Map(BarePath, bare => bare.Run(ListAsync));
        next(app);
    };

    private async Task SetUpAsync(HttpContext http)
    {
        var seeded = await LoadSeed.RunAsync(http.RequestServices.GetRequiredService<IServiceScopeFactory>());
        workspace = seeded.Workspace;
        await http.Response.WriteAsync(seeded.Key);
    }

    private async Task ListAsync(HttpContext http)
    {
        if (workspace is not { } tenant)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            return;
        }
        var services = http.RequestServices;
        services.GetRequiredService<TenantContext>().Enter(tenant, TenantRole.Owner);
        var db = services.GetRequiredService<AppDbContext>();
        var found = await ProjectListing.Sort(db.Projects.AsNoTracking(), ProjectListing.DefaultSort)!
            .ToPagedListAsync(http.Request, new PageRequest(), http.RequestAborted);
        var body = new PagedList<ProjectDto>([.. found.Items.Select(ProjectDto.From)], found.Page, found.PageSize, found.Total, found.Links);
        await http.Response.WriteAsJsonAsync(body, services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions, http.RequestAborted);
    }
}
