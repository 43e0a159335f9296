using SaasStarter.Api;
using SaasStarter.Audit.Api;

namespace SaasStarter.Audit;

public static class AuditModule
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddApiModule<AuditEventsApi>();
        return builder;
    }
}
