using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
#if (hasFeature)
using Microsoft.FeatureManagement.Mvc;
#endif
using SaasStarter.Core;
#if (hasFeature)
using SaasStarter.Features;
#endif
using SaasStarter.Tenancy;

namespace SaasStarter.Widgets.Pages;

/// <summary>Creates a widget through <see cref="WidgetWrites"/>, like the API (and audited there).</summary>
#if (hasFeature)
[FeatureGate(WidgetFeatures.Flag, Order = FeatureGates.Order)]
#endif
[RequirePermission(WidgetPermissions.Write)]
public sealed class NewModel(ITenantContext tenant, WidgetWrites writes) : PageModel
{
    [BindProperty]
    public WidgetInput Input { get; set; } = new();

    public CurrentTenant Tenant => tenant.Tenant!;

    public void OnGet()
    {
    }

    /// <summary>Saved: to the new widget. Refused (a plan limit, say): the form again with the reason, nothing typed lost.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var created = await writes.CreateAsync(Input);
        if (created.Value is { } item) return Redirect($"/t/{Tenant.Slug}/widgets/{item.Id}");
        ModelState.AddModelError(string.Empty, created.Problem!);
        return Page();
    }
}
