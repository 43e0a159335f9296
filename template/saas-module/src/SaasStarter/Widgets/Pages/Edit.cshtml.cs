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
/// Shows one, and saves a change through <see cref="WidgetWrites"/> like the API. The form carries the version it
/// showed, so a save over someone else's newer change is refused with a message instead of overwriting it. Another
/// workspace's id finds nothing through the query filter: 404.
/// </summary>
#if (hasFeature)
[FeatureGate(WidgetFeatures.Flag, Order = FeatureGates.Order)]
#endif
[RequirePermission(WidgetPermissions.Read)]
public sealed class EditModel(AppDbContext db, ITenantContext tenant, WidgetWrites writes) : PageModel
{
    [BindProperty]
    public WidgetInput Input { get; set; } = new();

    /// <summary>The version the form showed.</summary>
    [BindProperty]
    public int Version { get; set; }

    public Widget? Widget { get; private set; }
    public CurrentTenant Tenant => tenant.Tenant!;
    public bool CanWrite => tenant.Can(WidgetPermissions.Write);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        Widget = await db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id);
        if (Widget is null) return NotFound();
        Input = new WidgetInput { Name = Widget.Name, Description = Widget.Description };
        Version = Widget.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!CanWrite) return StatusCode(StatusCodes.Status403Forbidden);
        if (!ModelState.IsValid)
        {
            Widget = await db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id);
            return Widget is null ? NotFound() : Page();
        }
        var saved = await writes.UpdateAsync(id, Input, IfMatch.Version(Version));
        if (saved.Succeeded) return Redirect($"/t/{Tenant.Slug}/widgets/{id}");
        if (saved.Kind == OutcomeKind.NotFound) return NotFound();
        // Refused: the form again with the reason and what was typed; a stale form moves to the version that refused it.
        Widget = saved.Value ?? await db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id);
        if (Widget is null) return NotFound();
        Version = Widget.Version;
        ModelState.Remove(nameof(Version));
        ModelState.AddModelError(string.Empty, saved.Kind == OutcomeKind.Stale
            ? "Someone else changed this since you opened it, so your change was not saved. Your text is kept below: save again to overwrite their change, or reload to see it first."
            : saved.Problem!);
        return Page();
    }
}
