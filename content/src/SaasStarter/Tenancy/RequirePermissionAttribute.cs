using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SaasStarter.Tenancy;

/// <summary>
/// On a tenant page model: the signed-in member's role must grant <paramref name="permission"/>, or the page answers 403
/// (the member may know the tenant exists; a non-member never got this far: 404). Every page under /t/{slug} carries
/// this or <see cref="AnyMemberAttribute"/>, so what each page needs is written on the page and tests read it there.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequirePermissionAttribute(string permission) : Attribute, IAsyncPageFilter
{
    public string Permission { get; } = permission;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<ITenantContext>().Can(Permission))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return Task.CompletedTask;
        }
        return next();
    }
}

/// <summary>On a tenant page model: every member may open it (the tenant's home); it needs no permission.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnyMemberAttribute : Attribute;
