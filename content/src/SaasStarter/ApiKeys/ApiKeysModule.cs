using Microsoft.AspNetCore.Authentication;
using SaasStarter.Api;
using SaasStarter.Features;
using SaasStarter.Tenancy;

namespace SaasStarter.ApiKeys;

public static class ApiKeysModule
{
    public const string Policy = "ApiKey";

    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyDirectory>();
        builder.Services.AddSingleton<ApiKeyUsage>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ApiKeyUsage>());
        builder.Services.AddScoped<ApiCaller>();
        builder.Services.AddScoped<ApiKeyIssuer>();
        builder.Services.AddApiModule<TenantApi>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // Only the key scheme: a browser's sign-in cookie is never considered on the API.
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>
    /// Endpoints of the group need a valid key of an active tenant whose <see cref="FeatureNames.Api"/> flag is on; with
    /// it off they answer 404, as an address nothing answers (after the key is checked: the flag is the key's workspace's).
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(Policy);
        builder.AddEndpointFilter(async (context, next) =>
        {
            var tenant = context.HttpContext.RequestServices.GetRequiredService<ITenantContext>().Tenant;
            if (tenant?.IsSuspended == true)
            {
                await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "The workspace is suspended.",
                    $"Workspace '{tenant.Slug}' is suspended; its API keys work again when it is reactivated.", ApiProblems.TenantSuspendedType);
                return Results.Empty;
            }
            return await next(context);
        });
        builder.RequireFeature(FeatureNames.Api);
        return builder;
    }

    /// <summary>The endpoint needs <paramref name="scope"/>: without it, 403 naming the scope.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope)).AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.RequestServices.GetRequiredService<ApiCaller>().Has(scope)) return await next(context);
            await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "The API key lacks a scope.",
                $"This needs the scope '{scope}'; the key (or its creator) does not have it.", ApiProblems.MissingScopeType);
            return Results.Empty;
        });
}
