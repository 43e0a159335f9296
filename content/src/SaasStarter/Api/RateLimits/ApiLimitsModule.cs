using SaasStarter.Core;
using Microsoft.AspNetCore.RateLimiting;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// Rate limits and request limits of the API group: <see cref="ApiModule"/> calls <see cref="AddApiLimits"/> when adding the
/// API and <see cref="WithApiLimits"/> on its group; Program calls <see cref="UseApiLimits"/> where the middleware belongs.
/// </summary>
public static class ApiLimitsModule
{
    public static WebApplicationBuilder AddApiLimits(this WebApplicationBuilder builder)
    {
        builder.AddSettings<ApiLimitSettings>(ApiLimitSettings.Section);
        // Each workspace's rates from its plan (PlanCatalog comes with the features, registered later in Program).
        builder.Services.AddSingleton<IApiRateLimits, PlanApiRateLimits>();
        builder.Services.AddSingleton<ApiRateLimiter>();
        builder.Services.AddSingleton<FailedKeyLimiter>();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<ApiClient, ApiRateLimitPolicy>(ApiRateLimitPolicy.Name);
        });
        return builder;
    }

    /// <summary>
    /// The limits' middleware, after authentication and authorization in Program: an API
    /// endpoint that needs a key has been given one by then (a missing or wrong key was answered 401 and spent nothing here;
    /// a wrong key spent one of its address's refusals, <see cref="FailedKeyLimiter"/>),
    /// so the caller is the key's cached result. Only endpoints of the API group are touched.
    /// </summary>
    public static WebApplication UseApiLimits(this WebApplication app)
    {
        var limiter = app.Services.GetRequiredService<ApiRateLimiter>();
        app.Use(async (http, next) =>
        {
            if (AppliesTo(http.GetEndpoint()))
            {
                var client = await ApiClient.IdentifyAsync(http);
                http.Features.Set(client);
                RateLimitHeaders.AddOnStarting(http, limiter, client);
            }
            await next(http);
        });
        app.UseRateLimiter();
        app.UseMiddleware<RequestBodyLimit>();
        return app;
    }

    /// <summary>The group's rate-limit policy and its request body limit (an endpoint may set its own of either).</summary>
    public static RouteGroupBuilder WithApiLimits(this RouteGroupBuilder group)
    {
        var settings = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<ApiLimitSettings>();
        return group.RequireRateLimiting(ApiRateLimitPolicy.Name)
            .WithMetadata(new ApiRequestSizeLimit(settings.MaxRequestBodyBytes));
    }

    /// <summary>Whether the API's rate-limit policy applies to <paramref name="endpoint"/> (as the rate-limiting middleware decides).</summary>
    public static bool AppliesTo(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null
        && endpoint?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == ApiRateLimitPolicy.Name;
}
