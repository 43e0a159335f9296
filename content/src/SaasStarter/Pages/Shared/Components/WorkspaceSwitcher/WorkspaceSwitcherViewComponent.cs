using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SaasStarter.Accounts;
using SaasStarter.Pages.Tenant;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Shared.Components.WorkspaceSwitcher;

/// <summary>The navbar's workspace menu: the current (or last used) workspace first, then the others.</summary>
public sealed class WorkspaceSwitcherViewComponent(UserWorkspaces workspaces, UserManager<AppUser> users, ITenantContext tenant)
    : ViewComponent
{
    public sealed record Model(UserWorkspaces.Workspace? Current, UserWorkspaces.Workspace? LastUsed, IReadOnlyList<UserWorkspaces.Workspace> All);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!Guid.TryParse(users.GetUserId(UserClaimsPrincipal), out var userId)) return Content("");

        var all = await workspaces.OfAsync(userId);
        var current = tenant.Tenant is { } open ? all.FirstOrDefault(w => w.Slug == open.Slug) : null;
        var lastSlug = HttpContext.Request.Cookies[LastTenant.CookieName];
        var lastUsed = current is null ? all.FirstOrDefault(w => w.Slug == lastSlug) : null;
        return View(new Model(current, lastUsed, all));
    }
}
