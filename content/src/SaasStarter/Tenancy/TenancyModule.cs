using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing.Patterns;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// Tenants, memberships and roles, the permissions modules declare, and the tenant every unit of work acts for: resolved
/// from /t/{slug} (or a tenant's own host) for pages, entered by the API's key and by jobs for theirs.
/// </summary>
public static class TenancyModule
{
    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
        var hosting = TenancyHosting.Read(builder.Configuration);
        builder.Services.AddSingleton(hosting);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<PermissionCatalog>();
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddScoped<ITenantContext>(services => services.GetRequiredService<TenantContext>());
        builder.Services.AddScoped<TenantScope>(services => services.GetRequiredService<TenantContext>());
        builder.Services.AddSingleton<TenantDirectory>();
        builder.Services.AddScoped<UserTenants>();
        builder.Services.AddScoped<TenantNavigation>();
        builder.Services.AddScoped<PlatformBypass>();
        // PostConfigure: Razor Pages' own set-up replaces the conventions collection, and it is registered by whichever
        // module first adds Razor Pages (Identity's UI among them); a plain Configure before that would be lost.
        builder.Services.PostConfigure<RazorPagesOptions>(options =>
        {
            options.Conventions.Add(new TenantPageConvention());
            // Acts only where a tenant was entered, so it can sit on every page.
            options.Conventions.ConfigureFilter(new LastTenant());
        });
        if (hosting.CookieDomain is { } domain)
        {
            // Host mode: one sign-in (and its "remember this browser") for the base domain and every tenant host,
            // and a notice set on one host (e.g. after changing the address) still shown on the next.
            builder.Services.ConfigureApplicationCookie(cookie => cookie.Cookie.Domain = domain);
            builder.Services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme,
                cookie => cookie.Cookie.Domain = domain);
            builder.Services.Configure<CookieTempDataProviderOptions>(options => options.Cookie.Domain = domain);
        }
        return builder;
    }

    /// <summary>After authentication (it needs the user), before authorization and the endpoints.</summary>
    public static WebApplication UseTenancy(this WebApplication app)
    {
        // Declarations are checked now, not at the first request that needs them.
        app.Services.GetRequiredService<PermissionCatalog>();
        if (app.Services.GetRequiredService<TenancyHosting>().Mode == TenancyMode.Host)
        {
            // Host mode: acme.example.com/members becomes /t/acme/members before it is resolved like any other.
            app.UseMiddleware<TenantHosts>(app);
        }
        // The app itself, so TenantResolution can re-route a suspended tenant's requests to its suspended page.
        app.UseMiddleware<TenantResolution>(app);
        return app;
    }

    /// <summary>Whether a route template is a tenant's: the literal <c>t</c>, then the slug parameter.</summary>
    public static bool IsTenantRoute(string? template) =>
        template is not null
        && RoutePatternFactory.Parse(template).PathSegments is [{ Parts: [RoutePatternLiteralPart { Content: "t" }] }, { Parts: [RoutePatternParameterPart { Name: "slug" }] }, ..];

    /// <summary>
    /// Every page routed under /t/{slug}, in whichever module's folder it lives, requires a signed-in user (membership itself
    /// is checked by TenantResolution). Keyed by the route, so a new module's pages get it without being listed anywhere;
    /// applied when the routes are built, to every route a page has (a module may add one with AddPageRoute).
    /// </summary>
    private sealed class TenantPageConvention : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            foreach (var selector in model.Selectors.Where(s => IsTenantRoute(s.AttributeRouteModel?.Template)))
            {
                selector.EndpointMetadata.Add(new AuthorizeAttribute());
            }
        }
    }
}
