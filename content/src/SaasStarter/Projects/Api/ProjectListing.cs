using System.ComponentModel.DataAnnotations;
using SaasStarter.Core;

namespace SaasStarter.Projects.Api;

/// <summary>
/// The query of <c>GET /api/v1/projects</c>, bound with <c>[AsParameters]</c> and checked by the API's validation before the
/// handler runs: paging, a status to keep, and an order.
/// </summary>
public sealed record ProjectQuery : PageRequest
{
    [AllowedValues(null, ProjectStatusNames.Active, ProjectStatusNames.Archived, ErrorMessage = "Use 'active' or 'archived'.")]
    public string? Status { get; init; }

    [AllowedValues(null, "name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt",
        ErrorMessage = "Use one of name, -name, createdAt, -createdAt, updatedAt, -updatedAt.")]
    public string? Sort { get; init; }
}

/// <summary>The orders <c>GET /api/v1/projects</c> offers; each ends on the id, so pages never overlap or skip a tie.</summary>
internal static class ProjectListing
{
    public const string DefaultSort = "-updatedAt";

    public static IReadOnlyList<string> Sorts { get; } = ["name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"];

    /// <summary>The projects in the order named, or null for a name not in <see cref="Sorts"/>.</summary>
    public static IOrderedQueryable<Project>? Sort(IQueryable<Project> projects, string sort) => sort switch
    {
        "name" => projects.OrderBy(p => p.Name).ThenBy(p => p.Id),
        "-name" => projects.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id),
        "createdAt" => projects.OrderBy(p => p.CreatedAtUtc).ThenBy(p => p.Id),
        "-createdAt" => projects.OrderByDescending(p => p.CreatedAtUtc).ThenByDescending(p => p.Id),
        "updatedAt" => projects.OrderBy(p => p.UpdatedAtUtc).ThenBy(p => p.Id),
        "-updatedAt" => projects.OrderByDescending(p => p.UpdatedAtUtc).ThenByDescending(p => p.Id),
        _ => null,
    };
}
