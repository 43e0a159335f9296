using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SaasStarter.Tenancy;

/// <summary>
/// A slug a tenant used to have. Old links keep working (members are redirected to the new address) and no other
/// tenant can take the old address over. Platform data: looked up before any tenant is resolved.
/// </summary>
public sealed class TenantSlugAlias
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Slug { get; init; }
    public required Guid TenantId { get; init; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
}

internal sealed class TenantSlugAliasConfiguration : IEntityTypeConfiguration<TenantSlugAlias>
{
    public void Configure(EntityTypeBuilder<TenantSlugAlias> alias)
    {
        alias.ToTable("TenantSlugAliases");
        alias.Property(a => a.Slug).HasMaxLength(TenantSlug.MaxLength);
        alias.HasIndex(a => a.Slug).IsUnique();
        alias.HasIndex(a => a.TenantId);
        alias.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
