using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement.Mvc;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects.Pages;

/// <summary>
/// The beta board (flag ProjectBoard, which owners may switch): the projects in one column per status, the most recently
/// changed first. A column shows at most <see cref="CardsPerColumn"/> cards and says how many more the list has.
/// </summary>
[FeatureGate(ProjectFeatures.Board, Order = FeatureGates.Order)]
[RequirePermission(ProjectPermissions.Read)]
public sealed class BoardModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    public const int CardsPerColumn = 50;

    public sealed record Column(ProjectStatus Status, IReadOnlyList<Project> Cards, int Total);

    public IReadOnlyList<Column> Columns { get; private set; } = [];
    public CurrentTenant Tenant => tenant.Tenant!;

    public async Task OnGetAsync()
    {
        var columns = new List<Column>();
        foreach (var status in Enum.GetValues<ProjectStatus>())
        {
            var projects = db.Projects.AsNoTracking().Where(p => p.Status == status);
            var cards = await projects.OrderByDescending(p => p.UpdatedAtUtc).ThenBy(p => p.Id).Take(CardsPerColumn)
                .ToListAsync(HttpContext.RequestAborted);
            var total = cards.Count < CardsPerColumn ? cards.Count : await projects.CountAsync(HttpContext.RequestAborted);
            columns.Add(new Column(status, cards, total));
        }
        Columns = columns;
    }
}
