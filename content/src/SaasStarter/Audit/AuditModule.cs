using SaasStarter.Api;
using SaasStarter.Audit.Api;
using SaasStarter.Jobs;

namespace SaasStarter.Audit;

public static class AuditModule
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<OperatorActionLog>();
        builder.Services.AddApiModule<AuditEventsApi>();
        builder.AddTenantJob<DataRetention>(DataRetention.Definition);
        return builder;
    }
}
