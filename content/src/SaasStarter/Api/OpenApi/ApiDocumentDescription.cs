using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SaasStarter.Api.Keys;
using SaasStarter.Hosting;

using SaasStarter.Core;

namespace SaasStarter.Api.OpenApi;

/// <summary>
/// The document's front matter and shared components: what the API is and how to get a key, the two ways to send
/// one (security schemes), and the problem responses and headers the operation transformers refer to by name.
/// </summary>
internal sealed class ApiDocumentDescription : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";
    public const string ApiKeyScheme = "ApiKey";
    public const string ProblemJson = "application/problem+json";

    /// <summary>Names of the shared responses in <c>components/responses</c>.</summary>
    public static class Responses
    {
        public const string BadRequest = "BadRequest";
        public const string Unauthorized = "Unauthorized";
        public const string Forbidden = "Forbidden";
        public const string NotFound = "NotFound";
        public const string PayloadTooLarge = "PayloadTooLarge";
        public const string UnsupportedMediaType = "UnsupportedMediaType";
        public const string TooManyRequests = "TooManyRequests";
    }

    /// <summary>Names of the shared headers in <c>components/headers</c>.</summary>
    public static class Headers
    {
        public const string RetryAfter = "Retry-After";
        public const string RateLimitLimit = "RateLimit-Limit";
        public const string RateLimitRemaining = "RateLimit-Remaining";
        public const string RateLimitReset = "RateLimit-Reset";
        public const string WwwAuthenticate = "WWW-Authenticate";
    }

    private const string ProblemSchema = nameof(ProblemDetails);
    private const string ValidationProblemSchema = nameof(HttpValidationProblemDetails);

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = $"{Product.Name} API",
            Version = "v1",
            Description = Description,
        };

        // The server as the request reached it, without the trailing slash that would double the paths' own.
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');

        var components = document.Components ??= new OpenApiComponents();
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "API key",
            Description = $"An API key (`{ApiKeySecret.Prefix}…`) in `Authorization: Bearer <key>`.",
        };
        components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.HeaderName,
            Description = $"The same API key in the `{ApiKeyAuthentication.HeaderName}` header, for clients that cannot set Authorization.",
        };

        await EnsureProblemSchemaAsync(document, context, ProblemSchema, typeof(ProblemDetails), cancellationToken);
        await EnsureProblemSchemaAsync(document, context, ValidationProblemSchema, typeof(HttpValidationProblemDetails), cancellationToken);

        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        components.Headers[Headers.RetryAfter] = Header("Seconds to wait before sending the request again.", JsonSchemaType.Integer);
        components.Headers[Headers.RateLimitLimit] = Header("Requests the key may send in the current window.", JsonSchemaType.Integer);
        components.Headers[Headers.RateLimitRemaining] = Header("Requests the key has left in the current window.", JsonSchemaType.Integer);
        components.Headers[Headers.RateLimitReset] = Header("Seconds until the allowance is replenished.", JsonSchemaType.Integer);
        components.Headers[Headers.WwwAuthenticate] = Header("`Bearer realm=\"api\"`, with `error_description` saying what was wrong with the key.", JsonSchemaType.String);

        components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        components.Responses[Responses.BadRequest] = Problem(document, ValidationProblemSchema,
            "The request is not valid. A validation problem names each field in `errors`; unreadable JSON or a missing parameter says what is wrong in `detail`.",
            new ProblemExample(400, "One or more validation errors occurred.", null, new() { ["pageSize"] = ["pageSize must be from 1 to 100."] }));
        components.Responses[Responses.Unauthorized] = Problem(document, ProblemSchema,
            "No API key, or the key is malformed, unknown, revoked or expired (`detail` says which).",
            new ProblemExample(401, "An API key is required.", "The API key has expired."),
            (Headers.WwwAuthenticate, new OpenApiHeaderReference(Headers.WwwAuthenticate, document)));
        components.Responses[Responses.Forbidden] = Problem(document, ProblemSchema,
            $"The key lacks the scope the operation needs (`type` `{ProblemTypes.MissingScope}`), its workspace is suspended (`type` `{ProblemTypes.TenantSuspended}`), "
            + $"or creating one more would go past a limit of the workspace's plan (`type` `{ProblemTypes.PlanLimit}`).",
            new ProblemExample(403, "The API key lacks a scope.", "This needs the scope 'projects.write'; the key (or its creator) does not have it.", Type: ProblemTypes.MissingScope));
        components.Responses[Responses.NotFound] = Problem(document, ProblemSchema,
            "No such object in the key's workspace (objects of other workspaces answer the same).",
            new ProblemExample(404, "Not Found", null));
        components.Responses[Responses.PayloadTooLarge] = Problem(document, ProblemSchema,
            "The body is larger than the server accepts (`Api:MaxRequestBodyBytes`, 64 KiB by default).",
            new ProblemExample(413, "The request body is too large.", null));
        components.Responses[Responses.UnsupportedMediaType] = Problem(document, ProblemSchema,
            "The body is not `application/json`.",
            new ProblemExample(415, "Unsupported Media Type", null));
        components.Responses[Responses.TooManyRequests] = Problem(document, ProblemSchema,
            "The key or its workspace sent too many requests, or this address too many refused keys: wait `Retry-After` seconds, then retry.",
            new ProblemExample(429, "Too many requests.", null),
            (Headers.RetryAfter, new OpenApiHeaderReference(Headers.RetryAfter, document)));
    }

    /// <summary>
    /// Registers the problem schema even if no endpoint declared it, and adds the <c>traceId</c> every problem of this
    /// API carries (the ProblemDetails service adds it, so the type does not know it).
    /// </summary>
    private static async Task EnsureProblemSchemaAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, string name,
        Type type, CancellationToken cancellationToken)
    {
        var schemas = document.Components!.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!schemas.TryGetValue(name, out var schema))
        {
            schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            document.AddComponent(name, schema);
        }
        if (schema is OpenApiSchema editable)
        {
            editable.Properties ??= new Dictionary<string, IOpenApiSchema>();
            editable.Properties["traceId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Identifies the request in the server's logs: quote it when you report a problem.",
            };
        }
    }

    private sealed record ProblemExample(int Status, string Title, string? Detail, Dictionary<string, string[]>? Errors = null, string? Type = null);

    private static OpenApiResponse Problem(OpenApiDocument document, string schema, string description, ProblemExample example,
        params (string Name, IOpenApiHeader Header)[] headers)
    {
        var node = new System.Text.Json.Nodes.JsonObject();
        if (example.Type is not null) node["type"] = example.Type;
        node["title"] = example.Title;
        node["status"] = example.Status;
        if (example.Detail is not null) node["detail"] = example.Detail;
        if (example.Errors is not null)
        {
            node["errors"] = System.Text.Json.JsonSerializer.SerializeToNode(example.Errors);
        }
        node["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schema, document), Example = node },
            },
            Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h.Name, h => h.Header),
        };
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    private static readonly string Description = $$"""
        The HTTP API of {{Product.Name}}: an integration reads and changes one workspace's data with an API key.

        ## Getting a key
        A workspace owner or admin creates keys in the app: open the workspace, then **API keys** (`/t/<workspace>/api-keys`).
        Give the key a name, the scopes it needs (never more than you may do yourself) and an expiry, and copy it: the key
        (`{{ApiKeySecret.Prefix}}…`) is shown once. Send it as `Authorization: Bearer <key>` or `{{ApiKeyAuthentication.HeaderName}}: <key>`.
        A key acts in its own workspace only, with its scopes, and never beyond what its creator may still do there.
        In this reference, paste the key under **Authentication**.

        ## Errors
        Every error is an RFC 9457 problem (`{{ProblemJson}}`) with a `traceId` to quote when you report it. Validation
        problems (400) list the offending fields in `errors`. An object of another workspace answers 404, as a missing one does.

        ## Lists
        Lists take `page` (from 1) and `pageSize` (1–{{PageRequest.MaxPageSize}}, {{PageRequest.DefaultPageSize}} by default) and answer
        `{ "items", "page", "pageSize", "total", "links": { "self", "next", "prev" } }`.

        ## Limits
        Requests are rate limited per key and per workspace: `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
        say where a key stands, and 429 comes with `Retry-After`. Refused keys are limited per client address: after a few,
        that address's keys get 429 too, except keys already in use. Bodies must be JSON (else 415) and small (else 413).

        ## Safe retries and concurrent edits
        `POST` takes an `Idempotency-Key` header: repeating a request with the same key and body within 24 hours returns
        the first response (`Idempotent-Replayed: true`) instead of creating a second object. Objects carry an `ETag`;
        send it back in `If-Match` on `PUT` and `DELETE` to be told (412) when someone changed the object in between.
        """;
}
