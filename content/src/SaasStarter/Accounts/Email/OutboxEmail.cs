using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SaasStarter.Accounts.Email;

public enum OutboxEmailStatus
{
    /// <summary>Not sent yet: waiting for its next attempt (or, without an SMTP server, kept for the dev outbox).</summary>
    Pending,
    Sent,
    /// <summary>Given up: every attempt failed, or it was too old to send.</summary>
    Failed,
}

/// <summary>
/// An email the app sends: stored first, in the same database as the change that caused it (the transactional
/// outbox), then delivered in the background by <see cref="SmtpDelivery"/> when an SMTP server is configured.
/// Without one, rows stay unsent and the Development-only dev outbox page lists them.
/// </summary>
public sealed class OutboxEmail
{
    /// <summary>Attempts before giving up; with the default backoff the last one comes about five hours after the first.</summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// An email older than this is never sent: the links in it (confirmation, password reset) have expired by then.
    /// It keeps a backlog written while no SMTP server was configured from going out when one is.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    public const int LastErrorMaxLength = 1000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string HtmlBody { get; init; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;

    public DateTime? SentAtUtc { get; private set; }
    public int Attempts { get; private set; }
    /// <summary>The last failure's message (never a stack trace, never a secret), at most <see cref="LastErrorMaxLength"/> characters.</summary>
    public string? LastError { get; private set; }
    /// <summary>When delivery may try this email (again); with <see cref="SentAtUtc"/> the key of the pending query.</summary>
    public DateTime NextAttemptAtUtc { get; private set; } = DateTime.UtcNow;

    public OutboxEmailStatus StatusAt(DateTime nowUtc) =>
        SentAtUtc is not null ? OutboxEmailStatus.Sent
        : Attempts >= MaxAttempts || CreatedAtUtc < nowUtc - MaxAge ? OutboxEmailStatus.Failed
        : OutboxEmailStatus.Pending;

    public void MarkSent(DateTime nowUtc)
    {
        SentAtUtc = nowUtc;
        Attempts++;
        LastError = null;
    }

    /// <summary>Counts a failed attempt and schedules the next one <paramref name="retryIn"/> from now.</summary>
    public void MarkFailed(DateTime nowUtc, string error, TimeSpan retryIn)
    {
        Attempts++;
        LastError = error.Length <= LastErrorMaxLength ? error : error[..(LastErrorMaxLength - 1)] + "…";
        NextAttemptAtUtc = nowUtc + retryIn;
    }

    /// <summary>The emails delivery should try now, oldest due first.</summary>
    internal static IQueryable<OutboxEmail> Due(IQueryable<OutboxEmail> emails, DateTime nowUtc)
    {
        var oldest = nowUtc - MaxAge;
        return emails
            .Where(e => e.SentAtUtc == null && e.NextAttemptAtUtc <= nowUtc && e.Attempts < MaxAttempts && e.CreatedAtUtc > oldest)
            .OrderBy(e => e.NextAttemptAtUtc)
            .ThenBy(e => e.Id);
    }

    /// <summary>The emails delivery will try later (the next of them sets how long it sleeps).</summary>
    internal static IQueryable<OutboxEmail> Waiting(IQueryable<OutboxEmail> emails, DateTime nowUtc)
    {
        var oldest = nowUtc - MaxAge;
        return emails.Where(e => e.SentAtUtc == null && e.Attempts < MaxAttempts && e.CreatedAtUtc > oldest);
    }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> email)
    {
        email.Property(e => e.To).HasMaxLength(256);
        email.Property(e => e.Subject).HasMaxLength(512);
        email.Property(e => e.LastError).HasMaxLength(OutboxEmail.LastErrorMaxLength);
        email.HasIndex(e => e.CreatedAtUtc);
        // The pending query: unsent rows (SentAtUtc IS NULL), by when they are due.
        email.HasIndex(e => new { e.SentAtUtc, e.NextAttemptAtUtc });
    }
}
