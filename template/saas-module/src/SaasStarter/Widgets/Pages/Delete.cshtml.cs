using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
#if (hasFeature)
using Microsoft.FeatureManagement.Mvc;
#endif
using SaasStarter.Api;
using SaasStarter.Core;
using SaasStarter.Data;
#if (hasFeature)
using SaasStarter.Features;
#endif
using SaasStarter.Tenancy;

namespace SaasStarter.Widgets.Pages;

/// <summary>
/// The confirmation step of a delete, a page of its own so it works without JavaScript: GET asks, POST deletes the
/// version that was shown (a widget changed meanwhile is not deleted unseen), through <see cref="WidgetWrites"/>.
/// </summary>
#if (hasFeature)
[FeatureGate(WidgetFeatures.Flag, Order = FeatureGates.Order)]
#endif
[RequirePermission(WidgetPermissions.Write)]
public sealed class DeleteModel(AppDbContext db, ITenantContext tenant, WidgetWrites writes) : PageModel
{
    [BindProperty]
    public int Version { get; set; }

    public Widget? Widget { get; private set; }
    public CurrentTenant Tenant => tenant.Tenant!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        Widget = await db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id);
        if (Widget is null) return NotFound();
        Version = Widget.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var deleted = await writes.DeleteAsync(id, IfMatch.Version(Version));
        if (deleted.Succeeded) return Redirect($"/t/{Tenant.Slug}/widgets");
        if (deleted.Kind == OutcomeKind.NotFound) return NotFound();
        Widget = await db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id);
        if (Widget is null) return NotFound();
        Version = Widget.Version;
        ModelState.Remove(nameof(Version));
        ModelState.AddModelError(string.Empty, deleted.Kind == OutcomeKind.Stale
            ? "Someone changed it since you opened this page, so it was not deleted. Look at it again before you delete it."
            : deleted.Problem!);
        return Page();
    }
}
