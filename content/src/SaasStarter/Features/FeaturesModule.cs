using Microsoft.FeatureManagement;
using SaasStarter.Core;

namespace SaasStarter.Features;

/// <summary>
/// Feature flags on Microsoft.FeatureManagement, per tenant, for the flags the modules declare. The manager is scoped (one
/// per request or job run), so its definitions (<see cref="TenantFeatureDefinitions"/>) and its targeting
/// (<see cref="TenantTargeting"/>) read the scope's tenant; the configured definitions and the overrides stay cached
/// across scopes. Switching a flag for a tenant is the tenants module's FeatureSwitches.
/// </summary>
public static class FeaturesModule
{
    public static WebApplicationBuilder AddFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedSingleton<FeatureCatalog>();
        builder.AddSettings<FeatureCacheSettings>(FeatureCacheSettings.Section);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<FeatureOverrideCache>();
        builder.Services.AddScoped<TenantFeatures>();
        builder.Services.AddScoped<TenantFeatureReport>();

        // Registered before AddScopedFeatureManagement, which adds its own only where none is registered.
        builder.Services.AddSingleton(services => new ConfigurationFeatureDefinitionProvider(builder.Configuration)
        {
            Logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<ConfigurationFeatureDefinitionProvider>(),
        });
        builder.Services.AddScoped<IFeatureDefinitionProvider, TenantFeatureDefinitions>();
        builder.Services.AddScopedFeatureManagement().WithTargeting<TenantTargeting>();
        return builder;
    }
}
