using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Audit;

/// <summary>
/// Something that happened in a tenant: who, what, to whom, when, from where. Append-only: the app never changes
/// or deletes one (<see cref="IAppendOnly"/>: saving refuses it).
/// </summary>
public sealed class AuditEvent : ITenantOwned, IAppendOnly
{
    public const int MaxDetailLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public DateTime OccurredAtUtc { get; init; } = DateTime.UtcNow;
    public Guid? ActorUserId { get; init; }
    public string? ActorEmail { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    public string? IpAddress { get; init; }

    /// <summary>A small JSON object with what the action needs said (e.g. the old and new role).</summary>
    public string? Detail { get; init; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("AuditEvents");
        audit.Property(e => e.ActorEmail).HasMaxLength(256);
        audit.Property(e => e.Action).HasMaxLength(64);
        audit.Property(e => e.Target).HasMaxLength(256);
        audit.Property(e => e.IpAddress).HasMaxLength(64);
        audit.Property(e => e.Detail).HasMaxLength(AuditEvent.MaxDetailLength);
        // Composite indexes lead with TenantId: the page reads one tenant, newest first, maybe by action.
        audit.HasIndex(e => new { e.TenantId, e.OccurredAtUtc });
        audit.HasIndex(e => new { e.TenantId, e.Action, e.OccurredAtUtc });
        audit.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class AuditEventSet
{
    extension(AppDbContext db)
    {
        public DbSet<AuditEvent> AuditEvents => db.Set<AuditEvent>();
    }
}
