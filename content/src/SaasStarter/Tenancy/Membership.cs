using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

public enum TenantRole
{
    Owner,
    Admin,
    Member,
    Viewer,
}

/// <summary>A user's place in a tenant. Users are global; a membership is what lets one into a tenant.</summary>
public sealed class Membership : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required Guid UserId { get; init; }
    public required TenantRole Role { get; set; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> membership)
    {
        membership.ToTable("Memberships");
        // Composite indexes lead with TenantId: every tenant query filters on it first.
        membership.HasIndex(m => new { m.TenantId, m.UserId }).IsUnique();
        membership.HasIndex(m => m.UserId);
        membership.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        membership.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        membership.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class MembershipSet
{
    extension(AppDbContext db)
    {
        public DbSet<Membership> Memberships => db.Set<Membership>();
    }
}
