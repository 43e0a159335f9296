namespace SaasStarter.Data;

/// <summary>
/// The tenant a unit of work (a request, a job run) acts for, as the data layer needs it: the id every tenant query
/// filter and save guard compares with (<see cref="TenantIsolation"/>), and PostgreSQL's <c>app.tenant_id</c>. Scoped.
/// Tenancy's TenantContext is the one implementation; it lives above this layer, which must not know tenants' pages,
/// slugs or roles, so the context reads the id through this seam.
/// </summary>
public abstract class TenantScope
{
    /// <summary>The current tenant's id, or null outside a tenant (then tenant-owned queries see no rows).</summary>
    public abstract Guid? TenantId { get; }
}
