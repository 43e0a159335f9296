using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Members.Invitations;

/// <summary>
/// An invitation to join a tenant with a role, sent by email. Only the SHA-256 of its secret is stored here: the link
/// in the email is the one place the secret exists, and the outbox keeps that email's body encrypted and only until
/// it is sent (Email/OutboxBodies), so reading the tables opens no workspace. Open until it is accepted, revoked or
/// expires; a resend replaces the secret (the old link stops working) and restarts the clock.
/// </summary>
public sealed class Invitation : ITenantOwned
{
    public const int MaxEmailLength = 256;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Email { get; init; }
    /// <summary>Upper-cased, as Identity normalizes emails: "already a member" and "already invited" compare on it.</summary>
    public required string NormalizedEmail { get; init; }
    public required TenantRole Role { get; init; }
    public required string TokenHash { get; set; }
    public Guid? InvitedByUserId { get; init; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
    public DateTime LastSentAtUtc { get; set; } = DateTime.UtcNow;
    public int SendCount { get; set; } = 1;
    public required DateTime ExpiresAtUtc { get; set; }
    public DateTime? AcceptedAtUtc { get; set; }
    public Guid? AcceptedByUserId { get; set; }
    public DateTime? RevokedAtUtc { get; set; }

    public InvitationState StateAt(DateTime nowUtc) =>
        AcceptedAtUtc is not null ? InvitationState.Used
        : RevokedAtUtc is not null ? InvitationState.Revoked
        : ExpiresAtUtc <= nowUtc ? InvitationState.Expired
        : InvitationState.Open;
}

public enum InvitationState
{
    Open,
    Expired,
    Revoked,
    Used,
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.ToTable("Invitations");
        invitation.HasIndex(i => i.TokenHash).IsUnique();
        // At most one waiting invitation per address and tenant, even when two admins invite at once. The filter's
        // SQL is the same on SQLite and PostgreSQL.
        invitation.HasIndex(i => new { i.TenantId, i.NormalizedEmail }).IsUnique()
            .HasFilter("\"AcceptedAtUtc\" IS NULL AND \"RevokedAtUtc\" IS NULL");
        invitation.Property(i => i.Email).HasMaxLength(Invitation.MaxEmailLength);
        invitation.Property(i => i.NormalizedEmail).HasMaxLength(Invitation.MaxEmailLength);
        invitation.Property(i => i.TokenHash).HasMaxLength(InvitationToken.HashLength);
        invitation.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
        invitation.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
        // The inviter may delete their account later; the invitation (and its audit trail) stays.
        invitation.HasOne<AppUser>().WithMany().HasForeignKey(i => i.InvitedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

public static class InvitationSet
{
    extension(AppDbContext db)
    {
        public DbSet<Invitation> Invitations => db.Set<Invitation>();
    }
}
