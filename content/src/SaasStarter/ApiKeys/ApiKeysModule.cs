using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.ApiKeys;

/// <summary>The permission this module declares.</summary>
public static class ApiKeyPermissions
{
    public const string Manage = "apikeys.manage";
}

/// <summary>The audit actions this module records.</summary>
public static class ApiKeyAudit
{
    public const string Created = "apikey.created";
    public const string Revoked = "apikey.revoked";
}

/// <summary>
/// A tenant's API keys as its owners and admins manage them (/t/{slug}/api-keys): create one with scopes and an expiry,
/// see when each was last used, revoke one. Authenticating a key on the API is the Api module's.
/// </summary>
public static class ApiKeysModule
{
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ApiKeyIssuer>();
        builder.AddPermission(ApiKeyPermissions.Manage, "Create and revoke the workspace's API keys", TenantRole.Admin);
        builder.AddAuditAction(ApiKeyAudit.Created, "API key created");
        builder.AddAuditAction(ApiKeyAudit.Revoked, "API key revoked");
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "API keys", "api-keys", "bi-key", Order: 70)
        {
            Description = "Let your other systems call the API for this workspace.",
            Permission = ApiKeyPermissions.Manage,
            Feature = ApiModule.Feature,
        });
        return builder;
    }
}
