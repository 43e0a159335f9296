using SaasStarter.Api.OpenApi;

namespace SaasStarter.Projects.Api;

/// <summary>A project as the API shows it; <see cref="Version"/> is also its ETag (<c>"3"</c>).</summary>
public sealed record ProjectDto(Guid Id, string Name, string? Description, string Status, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, int Version)
    : IApiExample<ProjectDto>
{
    public static ProjectDto Example => new(Guid.Parse("01980a3d-1c2b-7e4f-8a90-5b6c7d8e9f01"), "Website relaunch",
        "New design and copy, live by March.", ProjectStatusNames.Active,
        new DateTime(2026, 11, 2, 9, 30, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 16, 5, 0, DateTimeKind.Utc), 3);

    public static ProjectDto From(Project project) => new(
        project.Id, project.Name, project.Description, ProjectStatusNames.Of(project.Status),
        Utc(project.CreatedAtUtc), Utc(project.UpdatedAtUtc), project.Version);

    // The column holds UTC; SQLite hands it back without a kind, and the JSON should say UTC ("Z") on every provider.
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

/// <summary>The API's names of <see cref="ProjectStatus"/> values: lower case, as in the query string and bodies.</summary>
public static class ProjectStatusNames
{
    public const string Active = "active";
    public const string Archived = "archived";

    public static string Of(ProjectStatus status) => status == ProjectStatus.Archived ? Archived : Active;

    public static ProjectStatus? Parse(string? name) => name switch
    {
        Active => ProjectStatus.Active,
        Archived => ProjectStatus.Archived,
        _ => null,
    };
}
