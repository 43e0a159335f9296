using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Widgets;

/// <summary>
/// A workspace's widget. <see cref="ITenantOwned"/> is all it takes to be isolated (query filter, stamped and guarded
/// saves, row-level security on PostgreSQL); <see cref="IVersioned"/> gives it a version each save moves on (the ETag).
/// </summary>
public sealed class Widget : ITenantOwned, IVersioned
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
    public DateTime UpdatedAtUtc { get; set; } = DateTime.UtcNow;
    public int Version { get; set; } = 1;
}

internal sealed class WidgetConfiguration : IEntityTypeConfiguration<Widget>
{
    public void Configure(EntityTypeBuilder<Widget> entity)
    {
        entity.ToTable("Widgets");
        entity.Property(w => w.Name).HasMaxLength(Widget.MaxNameLength);
        entity.Property(w => w.Description).HasMaxLength(Widget.MaxDescriptionLength);
        entity.HasIndex(w => new { w.TenantId, w.Name });
        entity.HasOne<Tenant>().WithMany().HasForeignKey(w => w.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class WidgetSet
{
    extension(AppDbContext db)
    {
        public DbSet<Widget> Widgets => db.Set<Widget>();
    }
}
