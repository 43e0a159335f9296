using SaasStarter.Core;
using SaasStarter.Features;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.Keys;

/// <summary>What an endpoint of the API asks of its caller's key, written where the endpoint is mapped.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>The authorization policy of the API key scheme (and no other: a browser's cookie never reaches the API).</summary>
    public const string Policy = "ApiKey";

    /// <summary>
    /// The endpoint needs a valid key of an active tenant whose <see cref="ApiModule.Feature"/> flag is on; with it off it
    /// answers 404, as an address nothing answers (after the key is checked: the flag is the key's tenant's).
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
                    $"Workspace '{tenant.Slug}' is suspended; its API keys work again when it is reactivated.", ProblemTypes.TenantSuspended);
                return Results.Empty;
            }
            return await next(context);
        });
        builder.RequireFeature(ApiModule.Feature);
        return builder;
    }

    /// <summary>The endpoint needs <paramref name="scope"/>: without it, 403 naming the scope.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope)).AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.RequestServices.GetRequiredService<ApiCaller>().Has(scope)) return await next(context);
            await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "The API key lacks a scope.",
                $"This needs the scope '{scope}'; the key (or its creator) does not have it.", ProblemTypes.MissingScope);
            return Results.Empty;
        });
}
