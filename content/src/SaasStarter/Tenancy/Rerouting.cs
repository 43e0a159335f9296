namespace SaasStarter.Tenancy;

/// <summary>Serving a request at another path than it asked for, from the middle of the pipeline.</summary>
internal static class Rerouting
{
    /// <summary>
    /// <paramref name="next"/> behind routing of its own, as the status-code pages re-execute /Error (their
    /// RerouteHelper): the app routed the request before any of its middleware ran, so a changed path needs a
    /// new match. WebApplication's New() drops the app's route builder, so it is carried over.
    /// </summary>
    public static RequestDelegate Branch(IApplicationBuilder app, RequestDelegate next)
    {
        const string globalRoutes = "__GlobalEndpointRouteBuilder";
        var branch = app.New();
        if (app.Properties.TryGetValue(globalRoutes, out var routes)) branch.Properties[globalRoutes] = routes;
        branch.UseRouting();
        branch.Run(next);
        return branch.Build();
    }

    /// <summary>Forgets the endpoint matched for the old path and sets the new one; then run a <see cref="Branch"/>.</summary>
    public static void MoveTo(HttpContext http, PathString path)
    {
        http.SetEndpoint(null);
        http.Request.RouteValues.Clear();
        http.Request.Path = path;
    }
}
