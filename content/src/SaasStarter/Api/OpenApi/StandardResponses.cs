using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using static SaasStarter.Api.OpenApi.ApiDocumentDescription;

namespace SaasStarter.Api.OpenApi;

/// <summary>
/// The responses an operation can give whatever its handler does, decided from what the operation is rather than
/// declared per endpoint: 401/403/429 behind a key, 404 where the path names an object, 400 where there is input,
/// 413/415 where there is a body; and the rate-limit headers on a key's successful responses. Problems that an
/// endpoint declares itself (409, 412, 422...) keep their description but are labelled <c>application/problem+json</c>.
/// </summary>
internal sealed class StandardResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document;
        var responses = operation.Responses ??= new OpenApiResponses();
        var keyed = ApiKeySecurity.IsKeyProtected(context.Description);
        var hasBody = operation.RequestBody is not null;
        var hasId = operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true;
        var hasInput = hasBody || operation.Parameters?.Count > 0;

        foreach (var (status, response) in responses)
        {
            if (status[0] is '4' or '5') LabelProblems(response);
        }

        if (hasInput) responses["400"] = new OpenApiResponseReference(Responses.BadRequest, document);
        if (keyed)
        {
            responses["401"] = new OpenApiResponseReference(Responses.Unauthorized, document);
            responses["403"] = new OpenApiResponseReference(Responses.Forbidden, document);
            responses["429"] = new OpenApiResponseReference(Responses.TooManyRequests, document);
            foreach (var (status, response) in responses)
            {
                if (status.StartsWith('2') && response is OpenApiResponse success) AddRateLimitHeaders(success, document);
            }
        }
        if (hasId) responses["404"] = new OpenApiResponseReference(Responses.NotFound, document);
        if (hasBody)
        {
            responses["413"] = new OpenApiResponseReference(Responses.PayloadTooLarge, document);
            responses["415"] = new OpenApiResponseReference(Responses.UnsupportedMediaType, document);
        }

        // In status order, so the document reads the same whatever order the rules above ran in.
        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in ordered) responses[status] = response;
        return Task.CompletedTask;
    }

    /// <summary>A ProblemDetails body is sent as application/problem+json, whatever content type the metadata guessed.</summary>
    private static void LabelProblems(IOpenApiResponse response)
    {
        if (response is not OpenApiResponse { Content: { } content }) return;
        foreach (var (type, media) in content.ToList())
        {
            if (type != ProblemJson && media.Schema is OpenApiSchemaReference { Reference.Id: "ProblemDetails" or "HttpValidationProblemDetails" })
            {
                content.Remove(type);
                content.TryAdd(ProblemJson, media);
            }
        }
    }

    private static void AddRateLimitHeaders(OpenApiResponse response, OpenApiDocument? document)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var name in new[] { Headers.RateLimitLimit, Headers.RateLimitRemaining, Headers.RateLimitReset })
        {
            response.Headers[name] = new OpenApiHeaderReference(name, document);
        }
    }
}
