using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SaasStarter.Pages;

/// <summary>
/// A POST (or any other write) that no handler of the page takes, one to a page that only shows or with an unknown
/// <c>?handler=</c>, answers 405 with the methods the page does take. Razor Pages would render the page with no handler
/// having loaded what it shows: a NullReferenceException, a 500. The error page, re-run for a failed POST, is left alone.
/// </summary>
internal sealed class UnhandledWrites : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (context.HandlerMethod is not null || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return next();
        }
        http.Response.Headers.Allow = string.Join(", ", context.ActionDescriptor.HandlerMethods
            .Select(h => h.HttpMethod.ToUpperInvariant())
            .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
            .Prepend("GET")
            .Distinct());
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        return Task.CompletedTask;
    }
}
