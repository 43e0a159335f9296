using SaasStarter.Api.OpenApi;
using SaasStarter.Api.RateLimits;
using SaasStarter.Features;

namespace SaasStarter.Api;

public static class ApiModule
{
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            // No endpoint matched, or the one that did is behind a feature that is off (an endpoint's own 404 keeps its own detail).
            if (context.ProblemDetails.Status == StatusCodes.Status404NotFound
                && (context.HttpContext.GetEndpoint() is null || FeatureGateFilter.WasHidden(context.HttpContext)))
            {
                var request = context.HttpContext.Request;
                context.ProblemDetails.Detail ??= $"No API endpoint answers {request.Method} {request.Path}.";
            }
            // Unreadable JSON and missing parameters are the client's mistake: say which, with 400 (or 415, 413).
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Status = bad.StatusCode;
                // The defaults described the 500 this started as.
                context.ProblemDetails.Type = ClientErrorTypes.GetValueOrDefault(bad.StatusCode);
                context.ProblemDetails.Title = "The request is not valid.";
                context.ProblemDetails.Detail = bad.Message;
                context.HttpContext.Response.StatusCode = bad.StatusCode;
            }
            // Routing answers a body in another media type before the endpoint runs, with no word of what it wanted.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                var sent = context.HttpContext.Request.ContentType;
                context.ProblemDetails.Title = "The request body's media type is not supported.";
                context.ProblemDetails.Detail = $"Send the body as JSON, with 'Content-Type: application/json'"
                    + (string.IsNullOrEmpty(sent) ? " (the request had no Content-Type)." : $" (the request had '{sent}').");
            }
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddApiDocument();
        builder.Services.AddApiModule<ServerInfoApi>();
        builder.AddApiLimits();
        return builder;
    }

    /// <summary>RFC 9110's sections of the client errors a <see cref="BadHttpRequestException"/> carries (others: no type).</summary>
    private static readonly Dictionary<int, string> ClientErrorTypes = new()
    {
        [StatusCodes.Status400BadRequest] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [StatusCodes.Status408RequestTimeout] = "https://tools.ietf.org/html/rfc9110#section-15.5.9",
        [StatusCodes.Status413PayloadTooLarge] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [StatusCodes.Status415UnsupportedMediaType] = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
    };

    public static IServiceCollection AddApiModule<TModule>(this IServiceCollection services)
        where TModule : class, IApiModule =>
        services.AddSingleton<IApiModule, TModule>();

    public static WebApplication MapApi(this WebApplication app)
    {
        // Where MapApi stands, after authentication and authorization: see UseApiLimits.
        app.UseApiLimits();
        var v1 = app.MapGroup("/api/v1").WithTags("v1").WithApiLimits();
        v1.AddEndpointFilter(NulCharacters.RefuseInQueryAsync);
        foreach (var module in app.Services.GetServices<IApiModule>())
        {
            module.MapEndpoints(v1);
        }

        app.MapApiReference();
        return app;
    }
}
