using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// Test-only endpoints on the app's own <c>/api/v1</c> group, with everything the group gives a module's endpoints (rate
/// and size limits, the NUL filter, problem details), as a module's <c>Map…</c> would put them there. The app has no hook
/// for this (Program maps every module itself), so a startup filter maps them onto the group once the app has built its
/// pipeline, before the first request reads the routes.
/// </summary>
public static class TestApi
{
    public static IServiceCollection AddTestApi(this IServiceCollection services, Action<RouteGroupBuilder> map) =>
        services.AddSingleton<IStartupFilter>(new MapOnto(map));

    private sealed class MapOnto(Action<RouteGroupBuilder> map) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            map(app.ApplicationServices.GetRequiredService<ApiGroup>().Mapped
                ?? throw new InvalidOperationException("The app mapped nothing onto /api/v1."));
        };
    }
}
