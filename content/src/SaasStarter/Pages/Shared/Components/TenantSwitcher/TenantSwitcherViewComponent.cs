using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Shared.Components.TenantSwitcher;

/// <summary>The navbar's workspace menu: the current (or last used) workspace first, then the others.</summary>
public sealed class TenantSwitcherViewComponent(UserTenants workspaces, UserManager<AppUser> users, ITenantContext tenant)
    : ViewComponent
{
    public sealed record Model(UserTenants.Entry? Current, UserTenants.Entry? LastUsed, IReadOnlyList<UserTenants.Entry> All);

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
