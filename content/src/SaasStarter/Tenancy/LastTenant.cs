using Microsoft.AspNetCore.Mvc.Filters;
namespace SaasStarter.Tenancy;

/// <summary>
/// Remembers the workspace a user last opened (a cookie holding only its slug), so the switcher can offer it
/// first. Membership is still checked on every request: the cookie grants nothing.
/// </summary>
public sealed class LastTenant : IAsyncPageFilter
{
    public const string CookieName = ".SaasStarter.LastTenant";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.RequestServices.GetRequiredService<ITenantContext>().Tenant is { } tenant
            && http.Request.Cookies[CookieName] != tenant.Slug)
        {
            http.Response.Cookies.Append(CookieName, tenant.Slug, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
                // Host mode: set on a tenant host, read on every host.
                Domain = http.RequestServices.GetRequiredService<TenancyHosting>().CookieDomain,
            });
        }
        return next();
    }
}
