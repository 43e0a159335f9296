using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SaasStarter.Api.Keys;

namespace SaasStarter.Api.OpenApi;

/// <summary>
/// Operations behind <see cref="ApiKeyEndpoints.RequireApiKey{TBuilder}"/> accept either security scheme; the scopes
/// their <see cref="RequiredScope"/> metadata names are listed in the requirement (OpenAPI 3.1 allows role names for
/// non-OAuth schemes) and in the description, where a reader looks.
/// </summary>
internal sealed class ApiKeySecurity : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!IsKeyProtected(context.Description)) return Task.CompletedTask;

        var scopes = Scopes(context.Description);
        operation.Security =
        [
            Requirement(ApiDocumentDescription.BearerScheme, context.Document, scopes),
            Requirement(ApiDocumentDescription.ApiKeyScheme, context.Document, scopes),
        ];
        if (scopes.Count > 0)
        {
            var needs = $"Needs an API key with the scope{(scopes.Count > 1 ? "s" : "")} {string.Join(" and ", scopes.Select(s => $"`{s}`"))}.";
            operation.Description = string.IsNullOrWhiteSpace(operation.Description) ? needs : $"{operation.Description}\n\n{needs}";
        }
        return Task.CompletedTask;
    }

    /// <summary>The endpoint demands the API key policy (and nothing lets anonymous callers through).</summary>
    public static bool IsKeyProtected(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        return !metadata.OfType<IAllowAnonymous>().Any()
            && metadata.OfType<IAuthorizeData>().Any(a => a.Policy == ApiKeyEndpoints.Policy);
    }

    private static List<string> Scopes(ApiDescription description) =>
        [.. description.ActionDescriptor.EndpointMetadata.OfType<RequiredScope>().Select(s => s.Scope).Distinct().Order(StringComparer.Ordinal)];

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document, List<string> scopes) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [.. scopes] };
}
