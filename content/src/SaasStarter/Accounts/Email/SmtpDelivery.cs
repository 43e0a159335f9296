using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Accounts.Email;

/// <summary>
/// Sends the outbox through the SMTP server in <c>Email:Smtp</c>, in the background (registered only when that
/// server is configured). Each round takes up to <see cref="BatchSize"/> due emails in a fresh DI scope, sends them
/// one after another and records each outcome at once: sent, or a failed attempt with its error and a later retry
/// (growing waits, see <see cref="EmailDeliverySettings.RetryDelayAfter"/>) until <see cref="OutboxEmail.MaxAttempts"/>.
/// Between rounds it sleeps until the next retry is due, at most <see cref="PollInterval"/>, and wakes at once when the
/// app stores an email (<see cref="OutboxSignal"/>).
/// </summary>
/// <remarks>
/// One loop per process, so no email is sent twice by one process. Two processes on one database (replicas) could
/// both send the same row: claiming rows first would be needed for that.
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

        var batch = await OutboxEmail.Due(db.OutboxEmails, DateTime.UtcNow).Take(BatchSize).ToListAsync(stop);
        if (batch.Count > 0)
        {
            await using var mailer = new SmtpMailer(smtp);
            foreach (var email in batch)
            {
                await DeliverAsync(mailer, email, stop);
                try
                {
                    // Recorded before the next one, and even while stopping: a sent email must not look unsent.
                    await db.SaveChangesAsync(CancellationToken.None);
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Deleted meanwhile (the dev outbox's Clear button): nothing left to record.
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

    private async Task DeliverAsync(SmtpMailer mailer, OutboxEmail email, CancellationToken stop)
    {
        try
        {
            await mailer.SendAsync(email, stop);
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            var error = ErrorText(e);
            email.MarkFailed(DateTime.UtcNow, error, settings.RetryDelayAfter(email.Attempts + 1));
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

    /// <summary>The failure's message, without the SMTP password should a server ever echo it.</summary>
    private string ErrorText(Exception e)
    {
        var text = string.IsNullOrWhiteSpace(e.Message) ? e.GetType().Name : e.Message.Trim();
        return string.IsNullOrEmpty(smtp.Password) ? text : text.Replace(smtp.Password, "***", StringComparison.Ordinal);
    }
}
