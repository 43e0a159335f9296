using Scalar.AspNetCore;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Api.OpenApi;

/// <summary>
/// The public contract of /api/v1 as a document (<c>/openapi/v1.json</c>) and as a page (<c>/scalar</c>). What every
/// operation shares (security, problem responses, examples) is added here by transformers, never per endpoint.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiDocumentDescription>();
            options.AddOperationTransformer<ApiKeySecurity>();
            options.AddOperationTransformer<StandardResponses>();
            options.AddSchemaTransformer<SchemaExamples>();
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference((options, http) => options
            .WithTitle($"{Product.Name} API")
            // The page boots from an inline script: it runs by this request's nonce, not by 'unsafe-inline'.
            .WithNonce(SecurityHeaders.ScriptNonce(http))
            // Self-hosted means offline: no fonts from a CDN.
            .DisableDefaultFonts()
            // A pasted key goes into the Authorization header; X-Api-Key stays selectable. Persistent authentication
            // stays off (the default): a secret key does not belong in the browser's local storage.
            .AddPreferredSecuritySchemes(ApiDocumentDescription.BearerScheme)
            .WithDefaultHttpClient(ScalarTarget.CSharp, ScalarClient.HttpClient)
            // Nothing on the page talks to Scalar's cloud (AI chat, MCP, telemetry, SDK and deploy links): the document
            // stays on this server, and the page's CSP (connect-src 'self') would refuse them anyway.
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools());
        return app;
    }
}
