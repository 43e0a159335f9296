using Microsoft.OpenApi;

namespace SaasStarter.Api.Idempotency;

/// <summary>
/// <c>.WithIdempotency()</c> makes a POST endpoint safe to retry: a client sends <c>Idempotency-Key: &lt;1–100 printable
/// ASCII characters&gt;</c>, and a repeat of the request with that key (from the same API key, within
/// <see cref="Window"/>) gets the first response again, marked <c>Idempotent-Replayed: true</c>, while the work is done
/// once. Apply it after <c>RequireApiKey()</c> and <c>RequireScope(...)</c>; the endpoint must return an
/// <see cref="IResult"/> and must not begin a transaction of its own (it runs inside the filter's).
/// </summary>
public static class IdempotentRequests
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder)
    {
        // Binding reads the body before any filter runs; buffering it first lets the filter hash what was sent.
        builder.Add(endpoint =>
        {
            var next = endpoint.RequestDelegate ?? throw new InvalidOperationException("The endpoint has no request delegate.");
            endpoint.RequestDelegate = http =>
            {
                if (http.Request.Headers.ContainsKey(KeyHeader)) http.Request.EnableBuffering();
                return next(http);
            };
        });
        builder.AddEndpointFilter<IdempotencyFilter>();
        builder.ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = KeyHeader,
                In = ParameterLocation.Header,
                Description = "Makes the request safe to retry: a repeat with the same key and body within 24 hours returns the first "
                    + $"response (with '{ReplayedHeader}: true') and does nothing again; the same key with another body gets 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyRecord.MaxKeyLength },
            });
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>1–100 characters, each printable ASCII (space to tilde).</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= IdempotencyRecord.MaxKeyLength && key.All(c => c is >= ' ' and <= '~');
}
