using Microsoft.AspNetCore.Mvc;

namespace SaasStarter.ApiKeys;

/// <summary>The API's refusals as RFC 9457 problems (the app's ProblemDetails service adds the traceId).</summary>
public static class ApiProblems
{
    /// <summary>The <c>type</c> of the 403 a suspended tenant's keys get, so a client can tell it from a missing scope.</summary>
    public const string TenantSuspendedType = "urn:problem-type:tenant-suspended";

    public const string MissingScopeType = "urn:problem-type:missing-scope";

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
