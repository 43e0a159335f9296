using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace SaasStarter.Tenancy;

public static class TenancyModule
{
    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
        var hosting = TenancyHosting.Read(builder.Configuration);
        builder.Services.AddSingleton(hosting);
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddScoped<ITenantContext>(services => services.GetRequiredService<TenantContext>());
        builder.Services.AddSingleton<TenantDirectory>();
        builder.Services.AddScoped<TenantFounding>();
        builder.Services.AddScoped<TenantSettings>();
        builder.Services.AddScoped<UserWorkspaces>();
        builder.Services.AddScoped<PlatformBypass>();
        // Every tenant page requires a signed-in user; membership itself is checked by TenantResolution.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
            options.Conventions.AuthorizeFolder("/Tenant").AuthorizeFolder("/Tenants"));
        if (hosting.CookieDomain is { } domain)
        {
            // Host mode: one sign-in (and its "remember this browser") for the base domain and every tenant host,
            // and a notice set on one host (e.g. after changing the address) still shown on the next.
            builder.Services.ConfigureApplicationCookie(cookie => cookie.Cookie.Domain = domain);
            builder.Services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme,
                cookie => cookie.Cookie.Domain = domain);
            builder.Services.Configure<CookieTempDataProviderOptions>(options => options.Cookie.Domain = domain);
        }
        builder.AddOperator();
        return builder;
    }

    /// <summary>After authentication (it needs the user), before authorization and the endpoints.</summary>
    public static WebApplication UseTenancy(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TenancyHosting>().Mode == TenancyMode.Host)
        {
            // Host mode: acme.example.com/members becomes /t/acme/members before it is resolved like any other.
            app.UseMiddleware<TenantHosts>(app);
        }
        // The app itself, so TenantResolution can re-route a suspended tenant's requests to its suspended page.
        app.UseMiddleware<TenantResolution>(app);
        return app;
    }
}
