using Microsoft.AspNetCore.Routing.Patterns;

namespace SaasStarter.Tenancy;

/// <summary>
/// Host mode (<c>Tenancy:Mode</c> = Host): a request to a tenant host (<c>acme.example.com</c>) for one of the tenant
/// pages is served as <c>/t/acme{path}</c>, so <c>acme.example.com/members</c> is <c>/t/acme/members</c>, and
/// <see cref="TenantResolution"/> (next) checks membership, suspension and old addresses as for any /t/{slug} request.
/// Other paths (sign-in, static files, the API, health) pass unchanged. A <c>/t/{other}</c> path is 404 there,
/// whoever asks: a tenant's host serves that tenant only.
/// Runs after authentication, which keeps the address asked for (/members) as a sign-in challenge's return URL.
/// </summary>
internal sealed class TenantHosts
{
    private readonly RequestDelegate next;
    private readonly RequestDelegate rerouted;
    private readonly TenancyHosting hosting;
    private readonly Lazy<IReadOnlySet<string>> tenantSegments;

    public TenantHosts(RequestDelegate next, IApplicationBuilder app, TenancyHosting hosting, EndpointDataSource endpoints)
    {
        this.next = next;
        this.hosting = hosting;
        rerouted = Rerouting.Branch(app, next);
        // Read at the first request, when every module has mapped its endpoints.
        tenantSegments = new(() => FirstSegmentsOfTenantRoutes(endpoints.Endpoints));
    }

    public Task InvokeAsync(HttpContext http)
    {
        if (hosting.TenantOfHost(http.Request.Host) is not { } slug) return next(http);

        var path = http.Request.Path;
        if (TenantResolution.SlugOf(path) is { } addressed)
        {
            if (addressed == slug) return next(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (!tenantSegments.Value.Contains(FirstSegment(path))) return next(http);

        var tenantHome = new PathString($"/t/{slug}");
        Rerouting.MoveTo(http, path.Value is null or "/" ? tenantHome : tenantHome.Add(path));
        return rerouted(http);
    }

    /// <summary>
    /// What follows <c>t/{slug}</c> in every tenant route ("" for the tenant's home, "members", "projects", ...), so a
    /// tenant page added later is served on the tenant host without listing it here. A route whose third segment is
    /// a parameter is left out: it would claim every path of the host.
    /// </summary>
    public static IReadOnlySet<string> FirstSegmentsOfTenantRoutes(IEnumerable<Endpoint> endpoints)
    {
        var segments = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ISuppressMatchingMetadata>()?.SuppressMatching == true) continue;
            var pattern = endpoint.RoutePattern.PathSegments;
            if (pattern.Count < 2 || pattern[0].Parts is not [RoutePatternLiteralPart { Content: var t }]
                || !t.Equals("t", StringComparison.OrdinalIgnoreCase) || pattern[1].Parts is not [RoutePatternParameterPart])
            {
                continue;
            }
            if (pattern.Count == 2) segments.Add("");
            else if (pattern[2].Parts is [RoutePatternLiteralPart literal]) segments.Add(literal.Content);
        }
        return segments;
    }

    private static string FirstSegment(PathString path) =>
        path.Value is { Length: > 1 } value ? value[1..].Split('/', 2)[0] : "";
}
