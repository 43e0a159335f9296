using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using SaasStarter.Core;

namespace SaasStarter.Pages;

/// <summary>
/// A page's query value with a NUL character answers 400 (the error page's "Bad request"), as the API's query values do
/// (<see cref="NulCharacters"/>): a search or filter holding one reached PostgreSQL, which refused it, as a 500.
/// </summary>
internal sealed class NulInQuery : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!context.HttpContext.Request.Query.Any(q => q.Value.Any(NulCharacters.In))) return next();
        context.Result = new BadRequestResult();
        return Task.CompletedTask;
    }
}
