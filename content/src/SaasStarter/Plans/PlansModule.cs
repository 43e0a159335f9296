using SaasStarter.Features;

namespace SaasStarter.Plans;

public static class PlansModule
{
    /// <summary>Called by AddFeatures: plans name the flags declared there.</summary>
    public static WebApplicationBuilder AddPlans(this WebApplicationBuilder builder, FeatureCatalog features)
    {
        builder.Services.AddSingleton(PlanCatalog.Read(builder.Configuration, features));
        builder.Services.AddScoped<PlanAssignment>();
        builder.Services.AddScoped<WorkspaceUsage>();
        builder.Services.AddScoped<PlanLimitGuard>();
        return builder;
    }
}
