using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SaasStarter.Accounts.Email;

/// <summary>An email kept in the database instead of sent: the dev outbox, used while no SMTP server is configured.</summary>
public sealed class OutboxEmail
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string HtmlBody { get; init; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> email)
    {
        email.Property(e => e.To).HasMaxLength(256);
        email.Property(e => e.Subject).HasMaxLength(512);
        email.HasIndex(e => e.CreatedAtUtc);
    }
}
