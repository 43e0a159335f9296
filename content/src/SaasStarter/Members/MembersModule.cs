using SaasStarter.Api;
using SaasStarter.Jobs;
using SaasStarter.Members.Api;
using SaasStarter.Members.Invitations;

namespace SaasStarter.Members;

public static class MembersModule
{
    public static WebApplicationBuilder AddMembers(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<MemberAdministration>();
        builder.Services.AddSingleton(InvitationSettings.Read(builder.Configuration));
        builder.Services.AddScoped<InvitationEmail>();
        builder.Services.AddScoped<TenantInvitations>();
        builder.Services.AddScoped<InvitationAcceptance>();
        builder.Services.AddApiModule<MembersApi>();
        builder.Services.AddApiModule<InvitationsApi>();
        builder.AddTenantJob<ExpiredInvitationCleanup>(ExpiredInvitationCleanup.Definition);
        return builder;
    }
}
