using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Accounts.Email;

/// <summary>
/// Sends the outbox through the SMTP server in <c>Email:Smtp</c>, in the background (registered only when that
/// server is configured). Each round reads up to <see cref="BatchSize"/> due emails in a fresh DI scope, then for each
/// one claims it, sends it and records the outcome at once: sent; failed for good (a permanent failure, see
/// <see cref="SmtpMailer.IsPermanent"/>: no retry); or a failed attempt with its error and a later retry (growing
/// waits, see <see cref="EmailDeliverySettings.RetryDelayAfter"/>) until <see cref="OutboxEmail.MaxAttempts"/>.
/// Between rounds it sleeps until the next retry is due, at most <see cref="PollInterval"/>, and wakes at once when the
/// app stores an email (<see cref="OutboxSignal"/>).
/// </summary>
/// <remarks>
/// Safe with several processes (replicas) on one database: an email is sent only by the process whose conditional
/// UPDATE claimed it (<see cref="OutboxEmail.Claimable"/>), for <see cref="ClaimLease"/>; the others skip it. One send
/// is cut off after <see cref="SendLimit"/>, well inside the lease, so a live claim never expires mid-send. A process
/// that dies mid-send leaves its claim to expire, after which another one sends the email: if the first had already
/// handed it to the server, it goes out twice (at least once, never lost).
/// </remarks>
internal sealed class SmtpDelivery(
    IServiceScopeFactory scopes,
    EmailDeliverySettings settings,
    SmtpSettings smtp,
    OutboxSignal signal,
    ILogger<SmtpDelivery> logger) : BackgroundService
{
    internal const int BatchSize = 20;
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    /// <summary>How long a claim keeps other processes off an email: one send, its recording, and a margin.</summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);
    /// <summary>The longest one email may take (connecting, signing in and sending, each also bounded by the SMTP timeout).</summary>
    internal static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Email delivery through {Host}:{Port} started", smtp.Host, smtp.Port);
        var errorDelay = PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DeliverDueAsync(stoppingToken);
                errorDelay = PollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database, not the mail server (whose failures are recorded per email): unreachable or not migrated yet.
                logger.LogWarning(e, "Email delivery cannot read or update the outbox; trying again in {Delay}", errorDelay);
                wait = errorDelay;
                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorDelay.Ticks));
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        logger.LogInformation("Email delivery stopped");
    }

    /// <summary>Sends one batch of due emails; answers how long to sleep before the next round.</summary>
    private async Task<TimeSpan> DeliverDueAsync(CancellationToken stop)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Untracked: an email is attached to the context only once this process holds its claim.
        var batch = await OutboxEmail.Due(db.OutboxEmails.AsNoTracking(), DateTime.UtcNow).Take(BatchSize).ToListAsync(stop);
        if (batch.Count > 0)
        {
            await using var mailer = new SmtpMailer(smtp);
            foreach (var email in batch)
            {
                stop.ThrowIfCancellationRequested();
                if (!await ClaimAsync(db, email, stop))
                {
                    logger.LogDebug("Email {EmailId} skipped: another process claimed or tried it meanwhile", email.Id);
                    continue;
                }
                await DeliverAsync(mailer, email, stop);
                try
                {
                    // Recorded before the next one, and even while stopping: a sent email must not look unsent, nor a
                    // released one claimed.
                    await db.SaveChangesAsync(CancellationToken.None);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Deleted meanwhile (the dev outbox's Clear button), or this claim expired and another process
                    // claimed the email: either way the outcome is not this process's to record.
                    logger.LogWarning("Email {EmailId}: outcome not recorded, the email was deleted or its claim expired meanwhile", email.Id);
                    db.Entry(email).State = EntityState.Detached;
                }
            }
            if (batch.Count == BatchSize) return TimeSpan.Zero; // more may be due
        }

        var now = DateTime.UtcNow;
        var next = await OutboxEmail.Waiting(db.OutboxEmails, now)
            .OrderBy(e => e.NextAttemptAtUtc)
            .Select(e => (DateTime?)e.NextAttemptAtUtc)
            .FirstOrDefaultAsync(stop);
        if (next is null) return PollInterval;
        var untilNext = next.Value - now;
        return untilNext <= TimeSpan.Zero ? TimeSpan.Zero : untilNext < PollInterval ? untilNext : PollInterval;
    }

    /// <summary>
    /// Takes <paramref name="email"/> for this process with one conditional UPDATE; true when it affected the row.
    /// The claimed email is then tracked with its claim as the original value, so recording the outcome checks it.
    /// </summary>
    private static async Task<bool> ClaimAsync(AppDbContext db, OutboxEmail email, CancellationToken stop)
    {
        var now = DateTime.UtcNow;
        // Whole milliseconds: stored exactly by both providers, so the concurrency check compares equal values.
        var until = now + ClaimLease;
        until = until.AddTicks(-(until.Ticks % TimeSpan.TicksPerMillisecond));
        var claimed = await OutboxEmail.Claimable(db.OutboxEmails, email, now)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedUntilUtc, (DateTime?)until), stop);
        if (claimed != 1) return false;
        email.Claimed(until);
        db.OutboxEmails.Attach(email);
        return true;
    }

    private async Task DeliverAsync(SmtpMailer mailer, OutboxEmail email, CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(SendLimit);
        try
        {
            await mailer.SendAsync(email, limit.Token);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopping: no attempt counted, and the claim goes (recorded by the caller), so another process need not
            // wait out the lease. Cut off mid-DATA, the server did not take the message.
            email.ReleaseClaim();
            return;
        }
        catch (Exception e)
        {
            var error = ErrorText(e, limit.IsCancellationRequested);
            var now = DateTime.UtcNow;
            if (SmtpMailer.IsPermanent(e))
            {
                email.MarkFailedPermanently(now, error);
                logger.LogError("Email {EmailId} '{Subject}' to {To} refused for good at attempt {Attempt}; not retried: {ErrorType}: {Error}",
                    email.Id, email.Subject, email.To, email.Attempts, e.GetType().Name, error);
                return;
            }

            email.MarkFailed(now, error, settings.RetryDelayAfter(email.Attempts + 1));
            if (email.Attempts >= OutboxEmail.MaxAttempts)
            {
                logger.LogError("Email {EmailId} '{Subject}' to {To} failed {Attempts} times; giving up. Last error: {ErrorType}: {Error}",
                    email.Id, email.Subject, email.To, email.Attempts, e.GetType().Name, error);
            }
            else
            {
                logger.LogWarning("Email {EmailId} '{Subject}' to {To} not sent (attempt {Attempt} of {MaxAttempts}): {ErrorType}: {Error}. "
                    + "Next attempt at {NextAttemptAtUtc:O}", email.Id, email.Subject, email.To, email.Attempts,
                    OutboxEmail.MaxAttempts, e.GetType().Name, error, email.NextAttemptAtUtc);
            }
            return;
        }

        email.MarkSent(DateTime.UtcNow);
        logger.LogInformation("Email {EmailId} '{Subject}' sent to {To} via {Host} (attempt {Attempt})",
            email.Id, email.Subject, email.To, smtp.Host, email.Attempts);
    }

    /// <summary>
    /// The failure's message (with the server's reply code when it answered one), without the SMTP password should a
    /// server ever echo it.
    /// </summary>
    private string ErrorText(Exception e, bool timedOut)
    {
        var text = timedOut && e is OperationCanceledException ? $"Not sent within {SendLimit.TotalSeconds:0} s."
            : string.IsNullOrWhiteSpace(e.Message) ? e.GetType().Name
            : e.Message.Trim();
        if (e is MailKit.Net.Smtp.SmtpCommandException reply) text = $"{(int)reply.StatusCode} {text}";
        return string.IsNullOrEmpty(smtp.Password) ? text : text.Replace(smtp.Password, "***", StringComparison.Ordinal);
    }
}
