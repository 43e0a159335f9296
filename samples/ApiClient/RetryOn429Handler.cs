using System.Net;

namespace ApiClient;

/// <summary>
/// Sends a request again when the API answers 429 Too Many Requests, after waiting as long as its Retry-After says
/// (plus a little jitter, so many clients do not return in the same instant), or with exponential backoff when it
/// says nothing. A 429 means the request was not processed, so repeating it is safe; a create also carries an
/// Idempotency-Key, which would make even a repeated success harmless.
/// </summary>
public sealed class RetryOn429Handler(int maxAttempts = 5, Action<string>? log = null) : DelegatingHandler
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= maxAttempts) return response;

            var wait = Wait(response, attempt);
            log?.Invoke($"429 Too Many Requests on {request.Method} {request.RequestUri?.PathAndQuery}: " +
                        $"retrying in {wait.TotalSeconds:0.0} s (attempt {attempt + 1} of {maxAttempts}).");
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>Retry-After as seconds or as a date; without it 1, 2, 4, 8… seconds. Never more than two minutes.</summary>
    public static TimeSpan Wait(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta
                   ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)));
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        wait += TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
        return wait < MaxWait ? wait : MaxWait;
    }
}
