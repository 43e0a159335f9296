using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Core;

/// <summary>Links of a page of a list: absolute-path URLs with the same filters, or null where there is no such page.</summary>
public sealed record PageLinks(string Self, string? Next, string? Prev);

/// <summary>Every list the API returns has this envelope: the items, where the page is in the whole, and links to move.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total, PageLinks Links);

/// <summary>Paging rules of the API, one place: pages from 1, pageSize 1–100 (25 by default).</summary>
public static class ApiPaging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>Null when the request's paging is acceptable, else the validation errors to answer 400 with.</summary>
    public static Dictionary<string, string[]>? Problems(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be from 1 to {MaxPageSize}."];
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Counts, reads the page asked for (an ordered query), and links it with the request's own query string.</summary>
    public static async Task<PagedList<T>> ToPagedListAsync<T>(this IQueryable<T> ordered, HttpRequest request, int? page, int? pageSize,
        CancellationToken cancellationToken = default)
    {
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        var last = Math.Max(1, (total + size - 1) / size);
        string Link(int n)
        {
            var query = request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            query["page"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            query["pageSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
        }
        return new PagedList<T>(items, number, size, total,
            new PageLinks(Link(number), number < last ? Link(number + 1) : null, number > 1 ? Link(Math.Min(number - 1, last)) : null));
    }
}
