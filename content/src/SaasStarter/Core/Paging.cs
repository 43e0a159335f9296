using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Core;

/// <summary>One page of a list, with what the pager needs; every list page in the app is paged this way.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Number, int Count, int Total);

/// <summary>What the shared pager partial draws: page links built by the list page, which knows its filters.</summary>
public sealed record Pager(int Number, int Count, string Label, Func<int, string?> Href);

public static class Paging
{
    /// <summary>
    /// Counts, clamps the requested page to the ones that exist, and reads it. Razor Pages reserve the route value
    /// "page", so list pages bind the number from "p".
    /// </summary>
    public static async Task<PageOf<T>> ToPageAsync<T>(this IQueryable<T> ordered, int requested, int size,
        CancellationToken cancellationToken = default)
    {
        var total = await ordered.CountAsync(cancellationToken);
        var count = Math.Max(1, (total + size - 1) / size);
        var number = Math.Clamp(requested, 1, count);
        var items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PageOf<T>(items, number, count, total);
    }

    /// <summary>A case-insensitive "contains" pattern for EF.Functions.Like on an upper-cased column.</summary>
    public static string ContainsPattern(string term) =>
        $"%{term.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant()}%";
}
