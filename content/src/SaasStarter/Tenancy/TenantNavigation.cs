using Microsoft.FeatureManagement;
using SaasStarter.Core;

namespace SaasStarter.Tenancy;

/// <summary>
/// The links the modules declared for a tenant's pages (<see cref="NavigationArea.Tenant"/>) that the current member may
/// follow: their role grants the entry's permission and its feature is on for the tenant. Scoped, read once per request.
/// </summary>
public sealed class TenantNavigation(IEnumerable<NavigationEntry> entries, ITenantContext tenant, IFeatureManagerSnapshot features)
{
    private IReadOnlyList<NavigationEntry>? visible;

    public async Task<IReadOnlyList<NavigationEntry>> VisibleAsync()
    {
        if (visible is not null) return visible;
        var shown = new List<NavigationEntry>();
        foreach (var entry in entries.Where(e => e.Area == NavigationArea.Tenant).OrderBy(e => e.Order).ThenBy(e => e.Title, StringComparer.Ordinal))
        {
            if (entry.Permission is { } permission && !tenant.Can(permission)) continue;
            if (entry.Feature is { } feature && !await features.IsEnabledAsync(feature)) continue;
            shown.Add(entry);
        }
        return visible = shown;
    }

    /// <summary>The address of <paramref name="entry"/> in the current tenant (Path mode; Host mode rewrites it on arrival).</summary>
    public string PathOf(NavigationEntry entry) => $"/t/{tenant.Tenant!.Slug}/{entry.Path}";
}
