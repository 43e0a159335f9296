using System.Reflection;
using Microsoft.EntityFrameworkCore;
namespace SaasStarter.Data;

/// <summary>Thrown when a save would write a row of a tenant other than the current one, or of no tenant.</summary>
public sealed class TenantIsolationException(string message) : InvalidOperationException(message);

/// <summary>
/// Isolation enforced by the framework, not by remembering a WHERE clause: every <see cref="ITenantOwned"/>
/// entity gets a query filter on the context's current tenant, and saving stamps and checks TenantId.
/// </summary>
internal static class TenantIsolation
{
    /// <summary>The filter's name, for the few platform paths that may lift it (each module's PlatformQueries, the only files allowed to).</summary>
    public const string FilterName = "Tenant";

    private static readonly MethodInfo FilterMethod =
        typeof(TenantIsolation).GetMethod(nameof(Filter), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static void ApplyQueryFilters(ModelBuilder builder, AppDbContext context)
    {
        foreach (var type in builder.Model.GetEntityTypes()
                     .Where(t => t.BaseType is null && typeof(ITenantOwned).IsAssignableFrom(t.ClrType)))
        {
            FilterMethod.MakeGenericMethod(type.ClrType).Invoke(null, [builder, context]);
        }
    }

    // The filter reads the context's member, so EF evaluates it per context instance (per request), never
    // a tenant captured when the model was built. No tenant means Guid.Empty: no rows.
    private static void Filter<T>(ModelBuilder builder, AppDbContext context) where T : class, ITenantOwned =>
        builder.Entity<T>().HasQueryFilter(FilterName, row => row.TenantId == context.CurrentTenantId);

    public static void GuardChanges(AppDbContext context)
    {
        var current = context.CurrentTenantId;
        foreach (var entry in context.ChangeTracker.Entries<ITenantOwned>())
        {
            var type = entry.Metadata.ClrType.Name;
            switch (entry.State)
            {
                case EntityState.Added when entry.Entity.TenantId == Guid.Empty:
                    entry.Entity.TenantId = current != Guid.Empty
                        ? current
                        : throw new TenantIsolationException($"A {type} cannot be added outside a tenant.");
                    break;
                case EntityState.Added when entry.Entity.TenantId != current:
                    throw new TenantIsolationException($"A {type} of another tenant cannot be added here.");
                case EntityState.Modified or EntityState.Deleted:
                    var original = entry.OriginalValues.GetValue<Guid>(nameof(ITenantOwned.TenantId));
                    if (original != current || entry.Entity.TenantId != original)
                    {
                        throw new TenantIsolationException($"A {type} of another tenant cannot be changed or deleted here.");
                    }
                    break;
            }
        }
    }
}
