using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SaasStarter.Tenancy.Pages;

/// <summary>
/// What a member of a suspended tenant sees, with 403, instead of any of the tenant's pages: TenantResolution
/// re-routes every request for the tenant here as a GET, so none of the tenant's handlers (and no write) runs.
/// While the tenant is active, this address just leads to the workspace.
/// </summary>
[AnyMember]
public sealed class SuspendedModel(ITenantContext tenant) : PageModel
{
    public string TenantName { get; private set; } = "";

    // No handler method: the page answers whatever verb reached it.
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var current = tenant.Tenant!;
        if (!current.IsSuspended)
        {
            context.Result = Redirect($"/t/{current.Slug}");
            return;
        }
        TenantName = current.Name;
        Response.StatusCode = StatusCodes.Status403Forbidden;
    }
}
