namespace SaasStarter.Tenancy;

public static class TenancyModule
{
    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
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
        builder.AddOperator();
        return builder;
    }

    /// <summary>After authentication (it needs the user), before authorization and the endpoints.</summary>
    public static WebApplication UseTenancy(this WebApplication app)
    {
        // The app itself, so TenantResolution can re-route a suspended tenant's requests to its suspended page.
        app.UseMiddleware<TenantResolution>(app);
        return app;
    }
}
