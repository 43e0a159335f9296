using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;

namespace SaasStarter.Email;

public enum OutboxEmailStatus
{
    /// <summary>Not sent yet: waiting for its next attempt (or, without an SMTP server, kept for the dev outbox).</summary>
    Pending,
    Sent,
    /// <summary>Given up: the server refused it for good, every attempt failed, or it was too old to send.</summary>
    Failed,
}

/// <summary>
/// An email the app sends: stored first, in the same database as the change that caused it (the transactional
/// outbox), then delivered by the job <see cref="SmtpDelivery"/> (<c>email-outbox</c>) when an SMTP server is configured.
/// Without one, rows stay unsent and the Development-only dev outbox page lists them.
/// </summary>
/// <remarks>
/// <para>
/// Its body carries live links (invitations, email confirmation, password reset), so it is stored encrypted
/// (<see cref="OutboxBodies"/>) and removed with the outcome that ends delivery: sent, or given up (an email that grew
/// too old to send loses it to <see cref="OutboxRetention"/>). Recipient, subject and status stay for the operator until
/// that job deletes the row.
/// </para>
/// <para>
/// Several app processes (replicas) may deliver from one database: a run claims a row (<see cref="ClaimedUntilUtc"/>,
/// a short lease) with one conditional UPDATE before sending it, so only one of them sends it. A claim that its
/// process did not clear (it crashed) expires on its own; delivery books a run for that moment.
/// </para>
/// </remarks>
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
    /// <summary>In clear: it must never carry a secret (the links go in the body).</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The HTML body as <see cref="OutboxBodies"/> protected it: readable only with the app's Data Protection keys, and
    /// only on this row with this recipient. Null once the email is sent or given up (and for one that will never be).
    /// </summary>
    public string? ProtectedHtmlBody { get; private set; }

    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;

    public DateTime? SentAtUtc { get; private set; }
    public int Attempts { get; private set; }
    /// <summary>The last failure's message (never a stack trace, never a secret), at most <see cref="LastErrorMaxLength"/> characters.</summary>
    public string? LastError { get; private set; }
    /// <summary>When delivery may try this email (again); with <see cref="SentAtUtc"/> the key of the pending query.</summary>
    public DateTime NextAttemptAtUtc { get; private set; } = DateTime.UtcNow;

    /// <summary>
    /// When delivery gave up on it: a permanent failure (the server refused it for good, or its address cannot be
    /// parsed), or the last of <see cref="MaxAttempts"/> attempts failed. Null while it may still be sent.
    /// </summary>
    public DateTime? FailedAtUtc { get; private set; }

    /// <summary>
    /// Set while one delivery process is sending it, until when the others leave it alone (a lease that outlasts one
    /// send); cleared with the outcome. Also the row's concurrency token: an outcome is recorded only by the claim's holder.
    /// </summary>
    public DateTime? ClaimedUntilUtc { get; private set; }

    public OutboxEmailStatus StatusAt(DateTime nowUtc) =>
        SentAtUtc is not null ? OutboxEmailStatus.Sent
        : FailedAtUtc is not null || Attempts >= MaxAttempts || CreatedAtUtc < nowUtc - MaxAge ? OutboxEmailStatus.Failed
        : OutboxEmailStatus.Pending;

    /// <summary>True when delivery gave up after a permanent failure, before running out of attempts.</summary>
    public bool FailedPermanently => SentAtUtc is null && FailedAtUtc is not null && Attempts < MaxAttempts;

    /// <summary>Sent: the body goes in the same update, since nothing needs its links any more.</summary>
    public void MarkSent(DateTime nowUtc)
    {
        SentAtUtc = nowUtc;
        Attempts++;
        LastError = null;
        ClaimedUntilUtc = null;
        ProtectedHtmlBody = null;
    }

    /// <summary>
    /// Counts a failed attempt and schedules the next one <paramref name="retryIn"/> from now; after the last, the email
    /// is given up and its body goes.
    /// </summary>
    public void MarkFailed(DateTime nowUtc, string error, TimeSpan retryIn)
    {
        Attempts++;
        LastError = Truncate(error);
        NextAttemptAtUtc = nowUtc + retryIn;
        ClaimedUntilUtc = null;
        if (Attempts >= MaxAttempts) GiveUp(nowUtc);
    }

    /// <summary>Counts a failed attempt that no retry can fix (a permanent failure): the email is given up at once.</summary>
    public void MarkFailedPermanently(DateTime nowUtc, string error)
    {
        Attempts++;
        LastError = Truncate(error);
        ClaimedUntilUtc = null;
        GiveUp(nowUtc);
    }

    private void GiveUp(DateTime nowUtc)
    {
        FailedAtUtc = nowUtc;
        ProtectedHtmlBody = null;
    }

    /// <summary>Stores the body <see cref="OutboxBodies"/> protected for this row.</summary>
    internal void StoreProtectedBody(string protectedHtmlBody) => ProtectedHtmlBody = protectedHtmlBody;

    /// <summary>Gives the claim up without an outcome (delivery is stopping): another process may send it at once.</summary>
    public void ReleaseClaim() => ClaimedUntilUtc = null;

    /// <summary>Notes the claim that <see cref="Claimable"/> just took in the database, before the entity is attached.</summary>
    internal void Claimed(DateTime untilUtc) => ClaimedUntilUtc = untilUtc;

    private static string Truncate(string error) =>
        error.Length <= LastErrorMaxLength ? error : error[..(LastErrorMaxLength - 1)] + "…";

    /// <summary>The emails delivery should try now, oldest due first: unsent, not given up, not claimed by a live claim.</summary>
    internal static IQueryable<OutboxEmail> Due(IQueryable<OutboxEmail> emails, DateTime nowUtc)
    {
        var oldest = nowUtc - MaxAge;
        return emails
            .Where(e => e.SentAtUtc == null && e.FailedAtUtc == null && e.NextAttemptAtUtc <= nowUtc && e.Attempts < MaxAttempts
                && e.CreatedAtUtc > oldest && (e.ClaimedUntilUtc == null || e.ClaimedUntilUtc < nowUtc))
            .OrderBy(e => e.NextAttemptAtUtc)
            .ThenBy(e => e.Id);
    }

    /// <summary>
    /// The emails delivery will never send (again): sent, given up, or too old to send. The exact complement of those
    /// <see cref="WakeTimes"/> counts as still sendable (<see cref="Due"/> picks from those), so retention never touches
    /// an email that may still go out.
    /// </summary>
    internal static IQueryable<OutboxEmail> Settled(IQueryable<OutboxEmail> emails, DateTime nowUtc)
    {
        var oldest = nowUtc - MaxAge;
        return emails.Where(e => e.SentAtUtc != null || e.FailedAtUtc != null || e.Attempts >= MaxAttempts || e.CreatedAtUtc <= oldest);
    }

    /// <summary>
    /// When delivery has something to do next, earliest first: for each email it may still send, its next attempt, or
    /// the end of a live claim on it (the claim's holder may have died, and then the email is due once it expires).
    /// </summary>
    internal static IQueryable<DateTime> WakeTimes(IQueryable<OutboxEmail> emails, DateTime nowUtc)
    {
        var oldest = nowUtc - MaxAge;
        return emails.Where(e => e.SentAtUtc == null && e.FailedAtUtc == null && e.Attempts < MaxAttempts && e.CreatedAtUtc > oldest)
            .Select(e => e.ClaimedUntilUtc != null && e.ClaimedUntilUtc > e.NextAttemptAtUtc ? e.ClaimedUntilUtc.Value : e.NextAttemptAtUtc)
            .OrderBy(t => t);
    }

    /// <summary>
    /// The row of <paramref name="email"/> if it is still as delivery read it (same attempt count: nobody tried it
    /// meanwhile), unsent, not given up, and free or its claim expired. Claiming is one UPDATE of this query: the
    /// database applies it to the row at most once among concurrent claimers, so at most one of them sees 1 row affected.
    /// </summary>
    internal static IQueryable<OutboxEmail> Claimable(IQueryable<OutboxEmail> emails, OutboxEmail email, DateTime nowUtc)
    {
        var id = email.Id;
        var attempts = email.Attempts;
        return emails.Where(e => e.Id == id && e.Attempts == attempts && e.SentAtUtc == null && e.FailedAtUtc == null
            && (e.ClaimedUntilUtc == null || e.ClaimedUntilUtc < nowUtc));
    }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> email)
    {
        email.ToTable("OutboxEmails");
        email.Property(e => e.To).HasMaxLength(256);
        email.Property(e => e.Subject).HasMaxLength(512);
        email.Property(e => e.LastError).HasMaxLength(OutboxEmail.LastErrorMaxLength);
        email.HasIndex(e => e.CreatedAtUtc);
        // The pending query: unsent rows (SentAtUtc IS NULL), by when they are due.
        email.HasIndex(e => new { e.SentAtUtc, e.NextAttemptAtUtc });
        // Recording an outcome checks the claim is still the one taken (UPDATE ... WHERE "ClaimedUntilUtc" = @claim).
        email.Property(e => e.ClaimedUntilUtc).IsConcurrencyToken();
    }
}

public static class OutboxEmailSet
{
    extension(AppDbContext db)
    {
        public DbSet<OutboxEmail> OutboxEmails => db.Set<OutboxEmail>();
    }
}
