using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using SaasStarter.Tenancy;

namespace SaasStarter.Members;

/// <summary>
/// On a tenant page model: the signed-in member's role must grant <paramref name="permission"/>, or the page
/// answers 403 (the member may know the tenant exists; a non-member never got this far: 404).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequirePermissionAttribute(string permission) : Attribute, IAsyncPageFilter
{
    public string Permission { get; } = permission;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var tenant = context.HttpContext.RequestServices.GetRequiredService<ITenantContext>();
        if (!Permissions.Grant(tenant.MemberRole, Permission))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return Task.CompletedTask;
        }
        return next();
    }
}
