using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// Resolves /t/{slug}/... for signed-in users: an unknown slug and a tenant the user is not a member of look
/// the same, 404, so nobody learns which tenants exist. Anonymous requests pass on to the pages, which require
/// sign-in (see TenancyModule), so they are sent to the sign-in page without a lookup.
/// </summary>
internal sealed class TenantResolution(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantDirectory directory, TenantContext context, AppDbContext db)
    {
        if (SlugOf(http.Request.Path) is { } slug && http.User.Identity?.IsAuthenticated == true)
        {
            var tenant = await directory.FindAsync(slug);
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
            context.Enter(tenant!, role);
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
