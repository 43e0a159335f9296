using SaasStarter.Api.OpenApi;

namespace SaasStarter.Api;

public static class ApiModule
{
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            // No endpoint matched (an endpoint's own 404 keeps its own detail).
            if (context.ProblemDetails.Status == StatusCodes.Status404NotFound && context.HttpContext.GetEndpoint() is null)
            {
                var request = context.HttpContext.Request;
                context.ProblemDetails.Detail ??= $"No API endpoint answers {request.Method} {request.Path}.";
            }
            // Unreadable JSON and missing parameters are the client's mistake: say which, with 400.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Status = bad.StatusCode;
                context.ProblemDetails.Title = "The request is not valid.";
                context.ProblemDetails.Detail = bad.Message;
                context.HttpContext.Response.StatusCode = bad.StatusCode;
            }
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddApiDocument();
        builder.Services.AddApiModule<ServerInfoApi>();
        return builder;
    }

    public static IServiceCollection AddApiModule<TModule>(this IServiceCollection services)
        where TModule : class, IApiModule =>
        services.AddSingleton<IApiModule, TModule>();

    public static WebApplication MapApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1").WithTags("v1");
        foreach (var module in app.Services.GetServices<IApiModule>())
        {
            module.MapEndpoints(v1);
        }

        app.MapApiReference();
        return app;
    }
}
