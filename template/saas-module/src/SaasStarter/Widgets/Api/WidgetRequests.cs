using System.ComponentModel.DataAnnotations;
using SaasStarter.Api.OpenApi;
using SaasStarter.Core;

namespace SaasStarter.Widgets.Api;

/// <summary>The query of <c>GET /api/v1/widgets</c>: paging, a search in names, and an order.</summary>
public sealed record WidgetQuery : PageRequest
{
    [StringLength(Widget.MaxNameLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string? Search { get; init; }

    [AllowedValues(null, "name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt",
        ErrorMessage = "Use one of name, -name, createdAt, -createdAt, updatedAt, -updatedAt.")]
    public string? Sort { get; init; }
}

/// <summary>The body of <c>POST /api/v1/widgets</c> and <c>PUT /api/v1/widgets/{id}</c>: the whole editable widget.</summary>
public sealed class WidgetRequest : IApiExample<WidgetRequest>
{
    public static WidgetRequest Example => new() { Name = "First widget", Description = "What it is for." };

    [Required(ErrorMessage = "Give it a name.")]
    [StringLength(Widget.MaxNameLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string Name { get; init; } = "";

    [StringLength(Widget.MaxDescriptionLength, ErrorMessage = "Use at most {1} characters.")]
    [NoNulCharacter]
    public string? Description { get; init; }

    public WidgetInput ToInput() => new() { Name = Name, Description = Description };
}
