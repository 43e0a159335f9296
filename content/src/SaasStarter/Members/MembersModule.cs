namespace SaasStarter.Members;

public static class MembersModule
{
    public static WebApplicationBuilder AddMembers(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<MemberAdministration>();
        return builder;
    }
}
