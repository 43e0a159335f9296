namespace SaasStarter.Core;

/// <summary>Where a <see cref="NavigationEntry"/> is shown.</summary>
public enum NavigationArea
{
    /// <summary>A workspace's navigation and the cards of its home page; <see cref="NavigationEntry.Path"/> is relative to /t/{slug}/.</summary>
    Tenant,

    /// <summary>The platform operator's area; <see cref="NavigationEntry.Path"/> is relative to /admin/.</summary>
    Operator,
}

/// <summary>
/// A link to a module's page, declared by the module (<see cref="Navigation.AddNavigation"/>): the shell draws the links
/// of each area in <see cref="Order"/>, showing a tenant's only to members whose role grants <see cref="Permission"/> and
/// only while <see cref="Feature"/> is on for the tenant.
/// </summary>
public sealed record NavigationEntry(NavigationArea Area, string Title, string Path, string Icon, int Order)
{
    /// <summary>A sentence for the entry's card on the workspace's home page.</summary>
    public string? Description { get; init; }

    public string? Permission { get; init; }

    public string? Feature { get; init; }
}

public static class Navigation
{
    public static WebApplicationBuilder AddNavigation(this WebApplicationBuilder builder, NavigationEntry entry)
    {
        builder.Services.AddSingleton(entry);
        return builder;
    }
}
