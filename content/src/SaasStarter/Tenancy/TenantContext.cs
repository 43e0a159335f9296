using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// The tenant the current unit of work acts for, or none, and the member's role in it. Every layer reads it from here:
/// pages resolve it from /t/{slug}, the API from its key, a job from its data. Nothing reads the tenant from HttpContext.
/// </summary>
public interface ITenantContext
{
    CurrentTenant? Tenant { get; }

    /// <summary>The signed-in user's role in <see cref="Tenant"/>; null for work that acts for no user (a job).</summary>
    TenantRole? MemberRole { get; }

    /// <summary>Whether the member's role grants <paramref name="permission"/> (false outside a tenant or without a role).</summary>
    bool Can(string permission);
}

/// <summary>What a request knows of its tenant: a snapshot, safe to cache and share.</summary>
public sealed record CurrentTenant(Guid Id, string Slug, string Name, bool IsSuspended)
{
    /// <summary>Its plan's id (null: the default plan), carried here so feature checks need no query.</summary>
    public string? PlanId { get; init; }

    public static CurrentTenant Of(Tenant tenant) => new(tenant.Id, tenant.Slug, tenant.Name, tenant.SuspendedAtUtc is not null)
    {
        PlanId = tenant.Plan,
    };
}

/// <summary>
/// Scoped: one per request (or job run). Entered once; switching tenant within a scope is a bug. It is also the data
/// layer's <see cref="TenantScope"/>, so the query filters read the tenant entered here and nothing else.
/// </summary>
public sealed class TenantContext(PermissionCatalog permissions) : TenantScope, ITenantContext
{
    public CurrentTenant? Tenant { get; private set; }

    public TenantRole? MemberRole { get; private set; }

    public override Guid? TenantId => Tenant?.Id;

    public bool Can(string permission) => permissions.Grants(MemberRole, permission);

    public void Enter(CurrentTenant tenant, TenantRole? memberRole = null)
    {
        if (Tenant is not null && Tenant.Id != tenant.Id)
        {
            throw new InvalidOperationException($"This scope already acts for tenant {Tenant.Slug}; it cannot switch to {tenant.Slug}.");
        }
        Tenant = tenant;
        MemberRole = memberRole ?? MemberRole;
    }
}
