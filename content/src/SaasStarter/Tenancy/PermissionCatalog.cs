using System.Text.RegularExpressions;

namespace SaasStarter.Tenancy;

/// <summary>
/// Something a member may do in a tenant, declared by the module it belongs to (<see cref="PermissionDeclarations.AddPermission"/>).
/// Roles are ordered Owner, Admin, Member, Viewer; a permission is granted to <see cref="LowestRole"/> and every role above it.
/// <see cref="ApiScope"/>: an API key may carry it as a scope (things an integration does; not settings, not keys themselves).
/// </summary>
public sealed record Permission(string Name, string Description, TenantRole LowestRole, bool ApiScope);

public static class PermissionDeclarations
{
    /// <summary>Declares a permission of the calling module; pages and endpoints then require it by name, never a role.</summary>
    public static WebApplicationBuilder AddPermission(this WebApplicationBuilder builder, string name, string description,
        TenantRole lowestRole, bool apiScope = false)
    {
        builder.Services.AddSingleton(new Permission(name, description, lowestRole, apiScope));
        return builder;
    }
}

/// <summary>
/// Every permission the modules declared, and which roles it is granted to. What only an Owner may do (make or unmake
/// Owners, transfer ownership) is a rule of the members module, not a permission. Asking about a permission nobody
/// declared is a bug (a typo would otherwise refuse everyone, silently), so it throws.
/// </summary>
public sealed partial class PermissionCatalog
{
    private readonly Dictionary<string, Permission> byName;

    public PermissionCatalog(IEnumerable<Permission> declared)
    {
        All = [.. declared.OrderBy(p => p.Name, StringComparer.Ordinal)];
        if (All.FirstOrDefault(p => !Shape().IsMatch(p.Name)) is { } odd)
        {
            throw new InvalidOperationException($"Permission '{odd.Name}' is not named like 'module.action' (lowercase, a dot between).");
        }
        if (All.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Permission '{twice.Key}' is declared twice.");
        }
        byName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
        ApiScopes = [.. All.Where(p => p.ApiScope).Select(p => p.Name)];
    }

    public IReadOnlyList<Permission> All { get; }

    /// <summary>The permissions an API key may hold as scopes.</summary>
    public IReadOnlyList<string> ApiScopes { get; }

    public Permission? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Whether <paramref name="role"/> (null: not a member) has <paramref name="permission"/>.</summary>
    public bool Grants(TenantRole? role, string permission)
    {
        var declared = Find(permission) ?? throw new InvalidOperationException($"No module declares the permission '{permission}'.");
        return role is { } r && r <= declared.LowestRole;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9_-]*)+$")]
    private static partial Regex Shape();
}
