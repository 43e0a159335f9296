using Microsoft.FeatureManagement;
using SaasStarter.Api;
using SaasStarter.Features.Api;
using SaasStarter.Plans;

namespace SaasStarter.Features;

/// <summary>
/// Feature flags on Microsoft.FeatureManagement, per workspace. The manager is scoped (one per request or job run), so
/// its definitions (<see cref="WorkspaceFeatureDefinitions"/>) and its targeting (<see cref="WorkspaceTargeting"/>) can
/// read the scope's workspace; the configured definitions and the overrides stay cached across scopes.
/// </summary>
public static class FeaturesModule
{
    public static WebApplicationBuilder AddFeatures(this WebApplicationBuilder builder)
    {
        var features = FeatureCatalog.Read(builder.Configuration);
        builder.Services.AddSingleton(features);
        builder.AddPlans(features);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<FeatureOverrideCache>();
        builder.Services.AddScoped<WorkspaceFeatures>();
        builder.Services.AddScoped<FeatureSwitches>();
        // Flags and limits with the reason for each: the operator's page, and GET /api/v1/features for a workspace's own.
        builder.Services.AddScoped<WorkspaceFeatureReport>();
        builder.Services.AddApiModule<FeaturesApi>();

        // Registered before AddScopedFeatureManagement, which adds its own only where none is registered.
        builder.Services.AddSingleton(services => new ConfigurationFeatureDefinitionProvider(builder.Configuration)
        {
            Logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<ConfigurationFeatureDefinitionProvider>(),
        });
        builder.Services.AddScoped<IFeatureDefinitionProvider, WorkspaceFeatureDefinitions>();
        builder.Services.AddScopedFeatureManagement().WithTargeting<WorkspaceTargeting>();
        return builder;
    }
}
