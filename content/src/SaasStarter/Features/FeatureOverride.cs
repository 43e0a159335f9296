using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Features;

/// <summary>Who switched a flag for a workspace; the operator's word beats the owner's.</summary>
public enum FeatureOverrideSource
{
    Operator = 1,
    Owner = 2,
}

/// <summary>A flag forced on or off for one workspace, by the platform operator or by the workspace's owner.</summary>
public sealed class FeatureOverride : ITenantOwned
{
    public const int MaxFeatureLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Feature { get; init; }
    public FeatureOverrideSource Source { get; init; }
    public bool Enabled { get; set; }
    public DateTime UpdatedAtUtc { get; set; } = DateTime.UtcNow;
    public Guid? UpdatedByUserId { get; set; }
}

internal sealed class FeatureOverrideConfiguration : IEntityTypeConfiguration<FeatureOverride>
{
    public void Configure(EntityTypeBuilder<FeatureOverride> entity)
    {
        entity.ToTable("FeatureOverrides");
        entity.Property(o => o.Feature).HasMaxLength(FeatureOverride.MaxFeatureLength);
        entity.Property(o => o.Source).HasConversion<string>().HasMaxLength(16);
        // One override per flag and source: setting it again updates the row.
        entity.HasIndex(o => new { o.TenantId, o.Feature, o.Source }).IsUnique();
        entity.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class FeatureOverrideSet
{
    extension(AppDbContext db)
    {
        public DbSet<FeatureOverride> FeatureOverrides => db.Set<FeatureOverride>();
    }
}
