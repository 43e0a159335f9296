using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects.Pages;

/// <summary>The tenant's projects, active or archived, paged. No tenant id anywhere: the query filter supplies it.</summary>
[RequirePermission(ProjectPermissions.Read)]
public sealed class IndexModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public bool Archived { get; set; }

    // Not "page": Razor Pages reserves that route value for the page's own name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Project> Projects { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;
    public CurrentTenant Tenant => tenant.Tenant!;
    public bool CanWrite => tenant.Can(ProjectPermissions.Write);

    public async Task OnGetAsync()
    {
        var status = Archived ? ProjectStatus.Archived : ProjectStatus.Active;
        var projects = db.Projects.AsNoTracking().Where(p => p.Status == status);
        var found = await projects.OrderBy(p => p.Name).ToPageAsync(PageNumber, PageSize);
        (Projects, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
    }
}
