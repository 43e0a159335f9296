using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Pages.Tenant;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Shared.Components.WorkspaceSwitcher;

/// <summary>The navbar's workspace menu: the current (or last used) workspace first, then the others.</summary>
public sealed class WorkspaceSwitcherViewComponent(AppDbContext db, UserManager<AppUser> users, ITenantContext tenant)
    : ViewComponent
{
    public sealed record Workspace(string Name, string Slug);

    public sealed record Model(Workspace? Current, Workspace? LastUsed, IReadOnlyList<Workspace> All);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!Guid.TryParse(users.GetUserId(UserClaimsPrincipal), out var userId)) return Content("");

        var all = await db.MembershipsOfUser(userId)
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (m, t) => t)
            .OrderBy(t => t.Name)
            .Select(t => new Workspace(t.Name, t.Slug))
            .ToListAsync();
        var current = tenant.Tenant is { } open ? all.FirstOrDefault(w => w.Slug == open.Slug) : null;
        var lastSlug = HttpContext.Request.Cookies[LastTenant.CookieName];
        var lastUsed = current is null ? all.FirstOrDefault(w => w.Slug == lastSlug) : null;
        return View(new Model(current, lastUsed, all));
    }
}
