using System.ComponentModel.DataAnnotations;
using SaasStarter.Core;

namespace SaasStarter.Widgets;

/// <summary>The fields a person (or an API client) edits, checked the same way on create and edit.</summary>
public sealed class WidgetInput
{
    [Required(ErrorMessage = "Give it a name.")]
    [StringLength(Widget.MaxNameLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    [Display(Name = "Name")]
    public string Name { get; set; } = "";

    [StringLength(Widget.MaxDescriptionLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    [Display(Name = "Description")]
    public string? Description { get; set; }

    public void ApplyTo(Widget item)
    {
        item.Name = Name.Trim();
        item.Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
    }
}
