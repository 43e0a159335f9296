using SaasStarter.Tenancy;

namespace SaasStarter.Api.Keys;

/// <summary>
/// Who a request to /api/v1 is, once <see cref="ApiKeyAuthentication"/> has accepted its key: the key, its tenant (with
/// the tenant's plan), its creator, and the scopes it may use, already narrowed to what its creator may still do there.
/// Scoped, produced once by authentication and read by everything after it: rate limiting (its buckets), idempotency
/// (records are per key), the audit log (the actor) and the scope checks. Empty for a request without a valid key.
/// </summary>
public sealed class ApiCaller
{
    public Guid? KeyId { get; private set; }
    public CurrentTenant? Tenant { get; private set; }
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

    internal void Enter(ApiKeyDirectory.KnownKey key, IEnumerable<string> scopes)
    {
        KeyId = key.Id;
        Tenant = key.Tenant;
        CreatedByUserId = key.CreatedByUserId;
        KeyName = key.Name;
        KeyPublicId = key.PublicId;
        Scopes = scopes.ToHashSet(StringComparer.Ordinal);
    }
}
