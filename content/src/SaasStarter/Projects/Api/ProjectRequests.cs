using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using SaasStarter.Api;
using SaasStarter.Api.OpenApi;
using SaasStarter.Core;

namespace SaasStarter.Projects.Api;

/// <summary>The body of <c>POST /api/v1/projects</c>.</summary>
public sealed class CreateProjectRequest : IApiExample<CreateProjectRequest>
{
    public static CreateProjectRequest Example => new() { Name = "Website relaunch", Description = "New design and copy, live by March." };

    [Required(ErrorMessage = "Give the project a name.")]
    [StringLength(Project.MaxNameLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string Name { get; init; } = "";

    [StringLength(Project.MaxDescriptionLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string? Description { get; init; }

    public ProjectInput ToInput() => new() { Name = Name, Description = Description };
}

/// <summary>The body of <c>PUT /api/v1/projects/{id}</c>: the whole editable project.</summary>
public sealed class UpdateProjectRequest : IApiExample<UpdateProjectRequest>
{
    public static UpdateProjectRequest Example => new()
    {
        Name = "Website relaunch",
        Description = "New design and copy, live by April.",
        Status = ProjectStatusNames.Active,
    };

    [Required(ErrorMessage = "Give the project a name.")]
    [StringLength(Project.MaxNameLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string Name { get; init; } = "";

    [StringLength(Project.MaxDescriptionLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string? Description { get; init; }

    [Required(ErrorMessage = "Say whether the project is 'active' or 'archived'.")]
    [AllowedValues(ProjectStatusNames.Active, ProjectStatusNames.Archived, ErrorMessage = "Use 'active' or 'archived'.")]
    public string Status { get; init; } = "";

    public ProjectInput ToInput() => new() { Name = Name, Description = Description };
}
