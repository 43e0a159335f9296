using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>A customer organisation: the unit of isolation. Platform data, so not itself tenant-owned.</summary>
public sealed class Tenant
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
    public DateTime? SuspendedAtUtc { get; set; }

    /// <summary>The id of its plan in Plans:Catalog; null is the default plan. Changed only by PlanAssignment.</summary>
    public string? Plan { get; set; }
}

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> tenant)
    {
        tenant.ToTable("Tenants");
        tenant.Property(t => t.Name).HasMaxLength(TenantSlug.MaxNameLength);
        tenant.Property(t => t.Slug).HasMaxLength(TenantSlug.MaxLength);
        tenant.Property(t => t.Plan).HasMaxLength(40);
        tenant.HasIndex(t => t.Slug).IsUnique();
    }
}

public static class TenantSets
{
    extension(AppDbContext db)
    {
        public DbSet<Tenant> Tenants => db.Set<Tenant>();

        public DbSet<TenantSlugAlias> TenantSlugAliases => db.Set<TenantSlugAlias>();
    }
}
