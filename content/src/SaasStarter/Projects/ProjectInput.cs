using System.ComponentModel.DataAnnotations;
using SaasStarter.Api;
using SaasStarter.Core;

namespace SaasStarter.Projects;

/// <summary>The fields a person edits, validated the same way on create and edit.</summary>
public sealed class ProjectInput
{
    [Required(ErrorMessage = "Give the project a name.")]
    [StringLength(Project.MaxNameLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    [StringLength(Project.MaxDescriptionLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    [Display(Name = "Description")]
    public string? Description { get; set; }

    public void ApplyTo(Project project)
    {
        project.Name = Name.Trim();
        project.Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        // UpdatedAtUtc and Version move on when the change is saved (IVersioned), not here.
    }
}
