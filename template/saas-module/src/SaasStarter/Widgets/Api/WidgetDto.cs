using SaasStarter.Api.OpenApi;

namespace SaasStarter.Widgets.Api;

/// <summary>A widget as the API shows it; <see cref="Version"/> is also its ETag (<c>"3"</c>).</summary>
public sealed record WidgetDto(Guid Id, string Name, string? Description, DateTime CreatedAtUtc, DateTime UpdatedAtUtc, int Version)
    : IApiExample<WidgetDto>
{
    public static WidgetDto Example => new(Guid.Parse("01980a3d-1c2b-7e4f-8a90-5b6c7d8e9f02"), "First widget", "What it is for.",
        new DateTime(2026, 11, 2, 9, 30, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 16, 5, 0, DateTimeKind.Utc), 2);

    // SQLite hands UTC columns back without a kind; the JSON says UTC ("Z") on every provider.
    public static WidgetDto From(Widget item) => new(item.Id, item.Name, item.Description,
        DateTime.SpecifyKind(item.CreatedAtUtc, DateTimeKind.Utc), DateTime.SpecifyKind(item.UpdatedAtUtc, DateTimeKind.Utc), item.Version);
}
