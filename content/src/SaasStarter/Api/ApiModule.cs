using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Idempotency;
using SaasStarter.Api.Keys;
using SaasStarter.Api.OpenApi;
using SaasStarter.Api.RateLimits;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Jobs;
using SaasStarter.Plans;

namespace SaasStarter.Api;

/// <summary>
/// The integration API: the <c>/api/v1</c> group every module maps its endpoints onto (<see cref="ApiV1"/>), with its
/// errors as RFC 9457 problems, its OpenAPI document and Scalar page, its rate and size limits, idempotent POSTs, and the
/// API key scheme that produces the <see cref="ApiCaller"/> of each request. Managing keys is the ApiKeys module.
/// </summary>
public static class ApiModule
{
    /// <summary>The flag that switches the API (and a tenant's API keys page) on for a tenant: on in every plan by default.</summary>
    public const string Feature = "Api";

    /// <summary>The plan limit that sets the refill rate of a tenant's API buckets.</summary>
    public const string RequestsPerMinuteLimit = "ApiRequestsPerMinute";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ApiErrors.Customize);
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // One validation style: the attributes on a request's types (bodies and [AsParameters] queries), checked by ASP.NET
        // Core before the handler runs; a broken rule answers 400 with a validation problem naming the field.
        builder.Services.AddValidation();
        builder.Services.AddApiDocument();
        builder.Services.AddSingleton<ApiGroup>();
        builder.AddApiLimits();

        builder.Services.AddSingleton<ApiKeyDirectory>();
        builder.Services.AddSingleton<ApiKeyUsage>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ApiKeyUsage>());
        builder.Services.AddScoped<ApiCaller>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // Only the key scheme: a browser's sign-in cookie is never considered on the API.
        builder.Services.AddAuthorizationBuilder().AddPolicy(ApiKeyEndpoints.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser());

        builder.AddFeatureFlag(new FeatureFlag(Feature, "API keys and the integration API (/api/v1).", OnByDefault: true));
        builder.AddPlanLimit(new PlanLimit(RequestsPerMinuteLimit, "API requests", "per minute") { Note = "For each API key of this workspace." });
        builder.AddRetentionRule(new RetentionRule("api-idempotency-records", (services, now, cancellationToken) =>
        {
            // No repeat can use a record older than the window any more.
            var db = services.GetRequiredService<AppDbContext>();
            var expired = now - IdempotentRequests.Window;
            return RetentionRules.DeleteInBatchesAsync(
                db.IdempotencyRecords.Where(r => r.CreatedAtUtc < expired).OrderBy(r => r.CreatedAtUtc).Select(r => r.Id),
                ids => db.IdempotencyRecords.Where(r => ids.Contains(r.Id)), cancellationToken);
        }));
        return builder;
    }

    /// <summary>
    /// <c>GET /api/v1</c> (what the API is and where its documentation lives), <c>/openapi/v1.json</c> and <c>/scalar</c>.
    /// Each module maps its own endpoints onto <see cref="ApiV1"/> in its own <c>Map…</c>.
    /// </summary>
    public static WebApplication MapApi(this WebApplication app)
    {
        ServerInfoApi.Map(app.ApiV1());
        app.MapApiReference();
        return app;
    }

    /// <summary>
    /// The <c>/api/v1</c> group, made once with what every endpoint of the API shares (its rate limit and body size
    /// policies, the refusal of NUL characters in the query, the OpenAPI tag): modules map onto it, never beside it.
    /// </summary>
    public static RouteGroupBuilder ApiV1(this IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetRequiredService<ApiGroup>().V1(endpoints);

}

/// <summary>Holds the one <c>/api/v1</c> group of the app (<see cref="ApiModule.ApiV1"/>).</summary>
internal sealed class ApiGroup
{
    private RouteGroupBuilder? v1;

    /// <summary>The group, once something has mapped onto it.</summary>
    public RouteGroupBuilder? Mapped => v1;

    public RouteGroupBuilder V1(IEndpointRouteBuilder endpoints) => v1 ??= Create(endpoints);

    private static RouteGroupBuilder Create(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1").WithTags("v1").WithApiLimits();
        group.AddEndpointFilter(Core.NulCharacters.RefuseInQueryAsync);
        // A workspace's data: no browser, proxy or client library keeps a copy (ASVS 14.3.2).
        group.AddEndpointFilter((context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return next(context);
        });
        return group;
    }
}
