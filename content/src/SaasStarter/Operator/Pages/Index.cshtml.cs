using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Operator.Pages;

/// <summary>
/// The platform operator's list of tenants: searchable by name or address, 25 a page, with member counts. Three
/// queries a page whatever its size: the total, the page of tenants, and their member counts (across tenants, so
/// inside the audited <see cref="PlatformBypass"/>).
/// </summary>
public sealed class IndexModel(AppDbContext db, PlatformBypass bypass, UserManager<AppUser> users) : PageModel
{
    public const int PageSize = 25;

    public sealed record Row(Guid Id, string Name, string Slug, DateTime CreatedAtUtc, DateTime? SuspendedAtUtc, int MemberCount);

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;

    public async Task OnGetAsync()
    {
        var tenants = db.Tenants.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var pattern = Paging.ContainsPattern(Search);
            tenants = tenants.Where(t => EF.Functions.Like(t.Name.ToUpper(), pattern) || EF.Functions.Like(t.Slug.ToUpper(), pattern));
        }
        var found = await tenants.OrderBy(t => t.Name).ThenBy(t => t.Slug)
            .ToPageAsync(PageNumber, PageSize, HttpContext.RequestAborted);
        (Total, PageNumber, PageCount) = (found.Total, found.Number, found.Count);
        var page = found.Items;

        Dictionary<Guid, int> counts;
        using (bypass.Begin("operator: tenants list", users.OperatorId(User)))
        {
            counts = await db.MemberCountsByTenantAsync([.. page.Select(t => t.Id)], HttpContext.RequestAborted);
        }
        Rows = [.. page.Select(t => new Row(t.Id, t.Name, t.Slug, t.CreatedAtUtc, t.SuspendedAtUtc, counts.GetValueOrDefault(t.Id)))];
    }
}
