using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Core;

/// <summary>Links of a page of a list: absolute-path URLs with the same filters, or null where there is no such page.</summary>
public sealed record PageLinks(string Self, string? Next, string? Prev);

/// <summary>Every list the API returns has this envelope: the items, where the page is in the whole, and links to move.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total, PageLinks Links);

/// <summary>
/// The paging of a list request, bound once for every list endpoint with <c>[AsParameters]</c> (<c>?page=2&amp;pageSize=50</c>)
/// (or as the base of a list's own query record) and checked by the API's validation like any input: pages from 1,
/// pageSize 1–100 (25 by default).
/// </summary>
public record PageRequest
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    [Range(1, int.MaxValue, ErrorMessage = "page starts at 1.")]
    public int? Page { get; init; }

    [Range(1, MaxPageSize, ErrorMessage = "pageSize must be from 1 to {2}.")]
    public int? PageSize { get; init; }
}

public static class ApiPaging
{
    /// <summary>Counts, reads the page asked for (an ordered query), and links it with the request's own query string.</summary>
    public static async Task<PagedList<T>> ToPagedListAsync<T>(this IQueryable<T> ordered, HttpRequest request, PageRequest paging,
        CancellationToken cancellationToken = default)
    {
        var number = paging.Page ?? 1;
        var size = paging.PageSize ?? PageRequest.DefaultPageSize;
        var total = await ordered.CountAsync(cancellationToken);
        // In long: a page far past the end (page=2147483647) would overflow the offset into a negative one.
        var skip = (long)(number - 1) * size;
        List<T> items = skip >= total ? [] : await ordered.Skip((int)skip).Take(size).ToListAsync(cancellationToken);
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
