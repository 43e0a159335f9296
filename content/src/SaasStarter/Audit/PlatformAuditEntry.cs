namespace SaasStarter.Audit;

/// <summary>An audit event with its tenant's id and address: one row of the operator's platform audit view.</summary>
public sealed record PlatformAuditEntry(
    Guid Id,
    Guid TenantId,
    string TenantSlug,
    DateTime OccurredAtUtc,
    string Action,
    string? ActorEmail,
    string? Target,
    string? IpAddress,
    string? Detail);
