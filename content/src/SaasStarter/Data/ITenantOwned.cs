namespace SaasStarter.Data;

/// <summary>
/// A row that belongs to one tenant. Implementing this is all an entity needs: <see cref="TenantIsolation"/>
/// gives it a query filter on the current tenant and stamps and guards <see cref="TenantId"/> on save.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
