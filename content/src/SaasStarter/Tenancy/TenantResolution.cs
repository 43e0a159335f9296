using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// Resolves /t/{slug}/... for signed-in users: an unknown slug and a tenant the user is not a member of look
/// the same, 404, so nobody learns which tenants exist. Anonymous requests pass on to the pages, which require
/// sign-in (see TenancyModule), so they are sent to the sign-in page without a lookup.
/// A member of a suspended tenant gets, for every route and method, the suspended page (403) instead of what
/// they asked for: the request is re-routed as a GET to <see cref="SuspendedPath"/>, so no handler of the
/// tenant runs and nothing is written.
/// In Host mode, <see cref="TenantHosts"/> has already turned acme.example.com/members into /t/acme/members.
/// </summary>
internal sealed class TenantResolution
{
    private readonly RequestDelegate next;
    private readonly RequestDelegate suspended;

    public TenantResolution(RequestDelegate next, IApplicationBuilder app)
    {
        this.next = next;
        suspended = Rerouting.Branch(app, next);
    }

    /// <summary>The page a suspended tenant's members see (Pages/Tenant/Suspended).</summary>
    public static string SuspendedPath(string slug) => $"/t/{slug}/suspended";

    public async Task InvokeAsync(HttpContext http, TenantDirectory directory, TenantContext context, AppDbContext db,
        TenancyHosting hosting, ILogger<TenantResolution> logger)
    {
        if (SlugOf(http.Request.Path) is { } slug && http.User.Identity?.IsAuthenticated == true)
        {
            var tenant = await directory.FindAsync(slug);
            var renamed = tenant is null && HttpMethods.IsGet(http.Request.Method);
            if (renamed) tenant = await directory.FindRenamedAsync(slug);
            var userId = Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;
            var role = tenant is null
                ? null
                : await db.MembershipsOfUser(userId).Where(m => m.TenantId == tenant.Id)
                    .Select(m => (TenantRole?)m.Role).SingleOrDefaultAsync(http.RequestAborted);
            if (role is null)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (renamed)
            {
                // An old address of the member's tenant: the same page at the new one (non-members got 404 above);
                // in Host mode on the new host, as the old host never serves the new slug.
                var rest = http.Request.Path.Value!["/t/".Length..].Split('/', 2) is [_, var tail] ? "/" + tail : "";
                http.Response.Redirect(hosting.Link(http.Request, tenant!.Slug, rest, http.Request.QueryString));
                return;
            }
            context.Enter(tenant!, role);
            if (tenant!.IsSuspended)
            {
                logger.LogInformation("Refused {Method} {Path}: tenant {TenantSlug} is suspended", http.Request.Method,
                    http.Request.Path.Value, tenant.Slug);
                Rerouting.MoveTo(http, SuspendedPath(tenant.Slug));
                http.Request.Method = HttpMethods.Get;
                http.Request.QueryString = QueryString.Empty;
                await suspended(http);
                return;
            }
        }
        await next(http);
    }

    /// <summary>The slug of a /t/{slug} path, or null.</summary>
    public static string? SlugOf(PathString path)
    {
        if (!path.StartsWithSegments("/t", out var rest) || !rest.HasValue) return null;
        var slug = rest.Value!.TrimStart('/').Split('/', 2)[0];
        return slug.Length == 0 ? null : slug.ToLowerInvariant();
    }
}
