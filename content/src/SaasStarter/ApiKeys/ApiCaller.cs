using SaasStarter.Members;

namespace SaasStarter.ApiKeys;

/// <summary>
/// The key a request to /api/v1 acts with, once <see cref="ApiKeyAuthentication"/> has accepted it: its id and the
/// scopes it may use, already narrowed to what its creator may still do in the tenant. Scoped, like TenantContext.
/// </summary>
public sealed class ApiCaller
{
    public Guid? KeyId { get; private set; }
    public Guid? CreatedByUserId { get; private set; }
    public string? KeyName { get; private set; }
    public string? KeyPublicId { get; private set; }
    public IReadOnlySet<string> Scopes { get; private set; } = new HashSet<string>();

    public bool Has(string scope) => Scopes.Contains(scope);

    /// <summary>
    /// Who the audit log says acted, when a key did: its name and public id (not secret; it ends with "…" because the
    /// key goes on), e.g. <c>api key "CRM sync" (sk_live_ab12cd34ef56…)</c>. Null outside a key's request.
    /// </summary>
    public string? ActorLabel => KeyId is null ? null : $"api key \"{KeyName}\" ({ApiKeySecret.Prefix}{KeyPublicId}…)";

    internal void Enter(Guid keyId, Guid createdByUserId, string name, string publicId, IEnumerable<string> scopes)
    {
        KeyId = keyId;
        CreatedByUserId = createdByUserId;
        KeyName = name;
        KeyPublicId = publicId;
        Scopes = scopes.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The scopes a key may hold: the permissions an integration can use (not settings, not keys themselves).</summary>
    public static IReadOnlyList<string> AllScopes { get; } =
        [Permissions.ProjectsRead, Permissions.ProjectsWrite, Permissions.MembersRead, Permissions.MembersInvite, Permissions.MembersManage, Permissions.AuditRead];
}
