using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
#if (hasFeature)
using Microsoft.FeatureManagement.Mvc;
#endif
using SaasStarter.Core;
using SaasStarter.Data;
#if (hasFeature)
using SaasStarter.Features;
#endif
using SaasStarter.Tenancy;

namespace SaasStarter.Widgets.Pages;

/// <summary>The workspace's widgets, searched, sorted and paged. No tenant id anywhere: the query filter supplies it.</summary>
#if (hasFeature)
[FeatureGate(WidgetFeatures.Flag, Order = FeatureGates.Order)]
#endif
[RequirePermission(WidgetPermissions.Read)]
public sealed class IndexModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    // Not "page": Razor Pages reserves that route value for the page's own name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Widget> Widgets { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;
    public CurrentTenant Tenant => tenant.Tenant!;
    public bool CanWrite => tenant.Can(WidgetPermissions.Write);

    public async Task OnGetAsync()
    {
        if (Sort is not null && !WidgetListing.Sorts.Contains(Sort)) Sort = null;
        var found = await WidgetListing.Find(db, Search, Sort).ToPageAsync(PageNumber, PageSize);
        (Widgets, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
    }
}
