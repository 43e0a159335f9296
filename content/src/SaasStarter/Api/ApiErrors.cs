using System.Text.Json;
using SaasStarter.Features;

namespace SaasStarter.Api;

/// <summary>
/// What every error response of the app says beyond the status (through the ProblemDetails service: the API's problems,
/// and the status code pages under /api): the request's traceId, and plain words for the errors the framework raises.
/// </summary>
internal static class ApiErrors
{
    /// <summary>RFC 9110's sections of the client errors a <see cref="BadHttpRequestException"/> carries (others: no type).</summary>
    private static readonly Dictionary<int, string> ClientErrorTypes = new()
    {
        [StatusCodes.Status400BadRequest] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [StatusCodes.Status408RequestTimeout] = "https://tools.ietf.org/html/rfc9110#section-15.5.9",
        [StatusCodes.Status413PayloadTooLarge] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [StatusCodes.Status415UnsupportedMediaType] = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
    };

    private static void CamelCaseKeys(IDictionary<string, string[]> errors)
    {
        // Header names (If-Match, Idempotency-Key) keep their own spelling.
        foreach (var key in errors.Keys.Where(k => !k.Contains('-', StringComparison.Ordinal)).ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (camel == key) continue;
            errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. errors[key]] : errors[key];
            errors.Remove(key);
        }
    }

    public static void Customize(ProblemDetailsContext context)
    {
        context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        // Validation names the fields as the request's JSON and query do (pageSize, not PageSize).
        if (context.ProblemDetails is HttpValidationProblemDetails validation) CamelCaseKeys(validation.Errors);
        // No endpoint matched, or the one that did is behind a feature that is off (an endpoint's own 404 keeps its own detail).
        if (context.ProblemDetails.Status == StatusCodes.Status404NotFound
            && (context.HttpContext.GetEndpoint() is null || FeatureGateFilter.WasHidden(context.HttpContext)))
        {
            var request = context.HttpContext.Request;
            context.ProblemDetails.Detail ??= $"No API endpoint answers {request.Method} {request.Path}.";
        }
        // Unreadable JSON and missing parameters are the client's mistake: say which. The exception handler already
        // answers with the exception's status (400, or 415, 413: Hosting's ClientErrors).
        if (context.Exception is BadHttpRequestException bad)
        {
            context.ProblemDetails.Type = ClientErrorTypes.GetValueOrDefault(bad.StatusCode);
            context.ProblemDetails.Title = "The request is not valid.";
            context.ProblemDetails.Detail = bad.Message;
        }
        // Routing answers a body in another media type before the endpoint runs, with no word of what it wanted.
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
        {
            var sent = context.HttpContext.Request.ContentType;
            context.ProblemDetails.Title = "The request body's media type is not supported.";
            context.ProblemDetails.Detail = $"Send the body as JSON, with 'Content-Type: application/json'"
                + (string.IsNullOrEmpty(sent) ? " (the request had no Content-Type)." : $" (the request had '{sent}').");
        }
    }
}
