using Microsoft.AspNetCore.Http.Metadata;
using SaasStarter.Api.Keys;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// The API group's largest request body (<c>Api:MaxRequestBodyBytes</c>). As <see cref="IRequestSizeLimitMetadata"/> it also
/// sets Kestrel's own limit for the request (routing does that); an endpoint may declare its own after it.
/// </summary>
public sealed record ApiRequestSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>
/// Bodies over the endpoint's limit get a 413 problem: at once when Content-Length says so (the body is never read),
/// otherwise as soon as reading passes the limit.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        var limit = endpoint?.Metadata.GetMetadata<ApiRequestSizeLimit>() is null
            ? null
            : endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        if (limit is not { } max)
        {
            await next(http);
            return;
        }

        if (http.Request.ContentLength > max)
        {
            await TooLargeAsync(http, max);
            return;
        }

        var body = new LimitedRequestBody(http.Request.Body, max);
        http.Request.Body = body;
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException) when (body.Exceeded && !http.Response.HasStarted)
        {
            // An endpoint that reads the body itself lets the refusal fly: answered below like the others.
        }

        // Nothing was written yet, so the status (400 from the JSON binding) can still change; headers set so far stay.
        if (body.Exceeded && !http.Response.HasStarted) await TooLargeAsync(http, max);
    }

    private static ValueTask TooLargeAsync(HttpContext http, long max) =>
        ApiProblems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            $"This endpoint accepts request bodies of up to {max} bytes.");
}
