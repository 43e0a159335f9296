using Microsoft.EntityFrameworkCore;
using SaasStarter.Core;
using SaasStarter.Data;

namespace SaasStarter.Widgets;

/// <summary>The list the page and the API share: a search in names, and the orders offered, each ending on the id.</summary>
public static class WidgetListing
{
    public const string DefaultSort = "name";

    public static IReadOnlyList<string> Sorts { get; } = ["name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"];

    /// <summary>The query whose name contains <paramref name="search"/> (any case), in the order named (default by name).</summary>
    public static IOrderedQueryable<Widget> Find(AppDbContext db, string? search, string? sort)
    {
        var query = db.Widgets.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = Paging.ContainsPattern(search);
            query = query.Where(w => EF.Functions.Like(w.Name.ToUpper(), pattern));
        }
        return sort switch
        {
            "-name" => query.OrderByDescending(w => w.Name).ThenByDescending(w => w.Id),
            "createdAt" => query.OrderBy(w => w.CreatedAtUtc).ThenBy(w => w.Id),
            "-createdAt" => query.OrderByDescending(w => w.CreatedAtUtc).ThenByDescending(w => w.Id),
            "updatedAt" => query.OrderBy(w => w.UpdatedAtUtc).ThenBy(w => w.Id),
            "-updatedAt" => query.OrderByDescending(w => w.UpdatedAtUtc).ThenByDescending(w => w.Id),
            _ => query.OrderBy(w => w.Name).ThenBy(w => w.Id),
        };
    }
}
