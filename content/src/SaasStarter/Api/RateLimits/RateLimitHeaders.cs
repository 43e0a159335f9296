using System.Globalization;

namespace SaasStarter.Api.RateLimits;

/// <summary>
/// <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (the IETF httpapi draft's names) on every
/// rate-limited response, 429s included: the size of the caller's tightest bucket, the requests left in it, and the
/// seconds until it is full again. Read as the response starts, so they count the request being answered.
/// </summary>
public static class RateLimitHeaders
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";

    internal static void AddOnStarting(HttpContext http, ApiRateLimiter limiter, ApiClient client) =>
        http.Response.OnStarting(() =>
        {
            Set(http.Response.Headers, limiter.Status(client));
            return Task.CompletedTask;
        });

    internal static void Set(IHeaderDictionary headers, RateLimitStatus status)
    {
        headers[Limit] = status.Limit.ToString(CultureInfo.InvariantCulture);
        headers[Remaining] = status.Remaining.ToString(CultureInfo.InvariantCulture);
        headers[Reset] = status.ResetSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
