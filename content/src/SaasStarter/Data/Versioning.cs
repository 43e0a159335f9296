using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

/// <summary>The one place <see cref="IVersioned"/> entities get their concurrency token and their version bump.</summary>
internal static class Versioning
{
    public static void ApplyConcurrencyTokens(ModelBuilder builder)
    {
        foreach (var type in builder.Model.GetEntityTypes().Where(t => t.BaseType is null && typeof(IVersioned).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(type.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        }
    }

    /// <summary>
    /// Called on every save: each changed entity moves to the next version. EF's UPDATE (or DELETE) still matches the
    /// version that was read, so of two writers that read the same version only the first succeeds; the second gets a
    /// <see cref="DbUpdateConcurrencyException"/>. An entity whose values did not change is not saved and keeps its version.
    /// </summary>
    public static void Stamp(DbContext context)
    {
        var now = DateTime.UtcNow;
        foreach (var entry in context.ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
        {
            var version = entry.Property(e => e.Version);
            version.CurrentValue = version.OriginalValue + 1;
            entry.Entity.UpdatedAtUtc = now;
        }
    }
}
