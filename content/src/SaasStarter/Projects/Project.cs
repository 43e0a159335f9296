using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects;

public enum ProjectStatus
{
    Active,
    Archived,
}

/// <summary>
/// The example business entity: copy this module (entity, configuration, pages) for your own domain. Implementing
/// <see cref="ITenantOwned"/> is all it takes to be isolated: filtered, stamped and guarded by the framework; implementing
/// <see cref="IVersioned"/> gives it a version that every save moves on (the API's ETag) and that refuses stale writes.
/// </summary>
public sealed class Project : ITenantOwned, IVersioned
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public ProjectStatus Status { get; set; } = ProjectStatus.Active;
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
    public DateTime UpdatedAtUtc { get; set; } = DateTime.UtcNow;

    /// <summary>1 when created; each save that changes the project adds one (<see cref="Versioning"/>).</summary>
    public int Version { get; set; } = 1;
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> project)
    {
        project.ToTable("Projects");
        project.Property(p => p.Name).HasMaxLength(Project.MaxNameLength);
        project.Property(p => p.Description).HasMaxLength(Project.MaxDescriptionLength);
        project.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        project.HasIndex(p => new { p.TenantId, p.Status, p.Name });
        project.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class ProjectSet
{
    extension(AppDbContext db)
    {
        public DbSet<Project> Projects => db.Set<Project>();
    }
}
