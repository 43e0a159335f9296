using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SaasStarter.Pages;

/// <summary>
/// Every non-API error lands here: status codes re-executed as <c>/Error?code=404</c>, and unhandled
/// exceptions outside Development. It says what happened in plain words and never shows exception details.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken] // a failed POST is re-executed here as a POST, token or not
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; } = StatusCodes.Status500InternalServerError;
    public string Heading { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string RequestId { get; private set; } = "";

    // No handler method: the page renders for any HTTP verb a failed request used.
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        Code = int.TryParse(Request.Query["code"], out var code) && code is >= 400 and <= 599
            ? code
            : reExecuted?.OriginalStatusCode ?? StatusCodes.Status500InternalServerError;
        (Heading, Message) = Describe(Code);
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }

    private static (string Heading, string Message) Describe(int code) => code switch
    {
        400 => ("Bad request", "The request could not be understood. Check the address or the form and try again."),
        401 => ("Please sign in", "You need to sign in to see this page."),
        403 => ("Access denied", "Your account doesn't have access to this page. If you think it should, ask the person who manages it."),
        404 => ("Page not found", "We couldn't find the page you were looking for. It may have moved, or the link may be mistyped."),
        405 => ("Not allowed", "This page can't be used that way."),
        408 => ("Request timed out", "The request took too long. Please try again."),
        413 => ("Too large", "What you sent is larger than this app accepts."),
        429 => ("Too many requests", "You're going a little fast. Wait a moment, then try again."),
        503 => ("Temporarily unavailable", "The service is briefly unavailable, usually for maintenance. Please try again in a minute."),
        >= 500 => ("Something went wrong", "An unexpected error stopped this request. It has been logged; please try again."),
        _ => ("Something went wrong", "The request could not be completed."),
    };
}
