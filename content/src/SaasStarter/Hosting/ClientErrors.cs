using Microsoft.AspNetCore.Diagnostics;

namespace SaasStarter.Hosting;

/// <summary>
/// The API's exception handler, which tells the client's mistakes from the app's. Minimal API endpoints throw
/// <see cref="BadHttpRequestException"/> for what they cannot bind (unreadable JSON, a missing body, a media type they do
/// not read, a body over the size limit, a failed antiforgery check on a form): that answers its own 4xx and is logged
/// at Information with the reason, not as the framework's "unhandled exception" Error entry, so a client sending junk
/// cannot fill the error log. Anything else answers 500 and is logged at Error, as before.
/// </summary>
internal static partial class ClientErrors
{
    private const string Category = "SaasStarter.ClientErrors";

    /// <summary>Options for <c>UseExceptionHandler</c> that answer with a problem document.</summary>
    public static ExceptionHandlerOptions ProblemHandler() => new()
    {
        StatusCodeSelector = exception => StatusOf(exception) ?? StatusCodes.Status500InternalServerError,
        SuppressDiagnosticsCallback = LogBelowError,
    };

    private static int? StatusOf(Exception exception) =>
        exception is BadHttpRequestException { StatusCode: >= 400 and < 500 } bad ? bad.StatusCode : null;

    /// <summary>Runs once the handler has answered: a client error (and only one answered with a 4xx) is logged here instead.</summary>
    private static bool LogBelowError(ExceptionHandlerSuppressDiagnosticsContext context)
    {
        var http = context.HttpContext;
        if (StatusOf(context.Exception) is null || http.Response.StatusCode is < 400 or >= 500) return false;
        var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        Refused(logger, http.Request.Method, path, http.Response.StatusCode, context.Exception.Message);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused with {StatusCode}: {Reason}")]
    private static partial void Refused(ILogger logger, string method, string? path, int statusCode, string reason);
}
