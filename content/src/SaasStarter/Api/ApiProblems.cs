using Microsoft.AspNetCore.Mvc;

namespace SaasStarter.Api;

/// <summary>The API's refusals written from filters and handlers as RFC 9457 problems (the app's ProblemDetails service adds the traceId).</summary>
public static class ApiProblems
{
    public static ValueTask WriteAsync(HttpContext http, int status, string title, string detail, string? type = null)
    {
        http.Response.StatusCode = status;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type },
        });
    }
}
