using SaasStarter.Core;

namespace SaasStarter.Plans;

/// <summary>
/// Plans from configuration (<c>Plans</c>) and the limits the modules declare for them. A tenant's plan comes with the
/// tenant (<c>CurrentTenant.PlanId</c>); changing it is the tenants module's PlanAssignment.
/// </summary>
public static class PlansModule
{
    public static WebApplicationBuilder AddPlans(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedSingleton<PlanCatalog>();
        builder.Services.AddScoped<TenantUsage>();
        builder.Services.AddScoped<PlanLimitGuard>();
        return builder;
    }
}
