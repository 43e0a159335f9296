using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Data;
using SaasStarter.Jobs;

namespace SaasStarter.Email;

/// <summary>
/// The platform job <c>email-outbox</c>: sends the outbox through the SMTP server in <c>Email:Smtp</c> (registered
/// only when that server is configured). A run reads up to <see cref="BatchSize"/> due emails at a time in a fresh DI
/// scope, then for each one claims it, opens its body (<see cref="OutboxBodies"/>), sends it and records the outcome at
/// once: sent; failed for good (a permanent failure, see <see cref="SmtpMailer.IsPermanent"/>, or a body that does not
/// open: no retry); or a failed attempt with its error and a later retry (growing waits, see
/// <see cref="EmailDeliverySettings.RetryDelayAfter"/>) until <see cref="OutboxEmail.MaxAttempts"/>. Sent or given up,
/// the body is removed in the same update.
/// It ends by setting the trigger <see cref="OutboxWakeUps.NextDue"/> to when the next retry is due, so waiting costs
/// no runs; the app storing an email runs it at once (<see cref="OutboxWaker"/>); its schedule is the safety net.
/// </summary>
/// <remarks>
/// <para>
/// An email that fails is not a failed run: its retry belongs to the email (its own growing waits, recorded in the
/// outbox), not to Quartz's job retry, which is left for the run itself failing (the database unreachable).
/// </para>
/// <para>
/// Safe with several processes (replicas) on one database: the job does not run twice at once in a cluster, and on
/// top of that an email is sent only by the run whose conditional UPDATE claimed it (<see cref="OutboxEmail.Claimable"/>),
/// for <see cref="ClaimLease"/>; the others skip it (SQLite has no cluster: two processes on one file may both run it).
/// One send is cut off after <see cref="SendLimit"/>, well inside the lease, so a live claim never expires mid-send. A
/// process that dies mid-send leaves its claim to expire, after which a run (woken for that moment) sends the email:
/// if the first had already handed it to the server, it goes out twice (at least once, never lost).
/// </para>
/// </remarks>
[DisallowConcurrentExecution]
internal sealed class SmtpDelivery(
    IServiceScopeFactory scopes,
    OutboxBodies bodies,
    EmailDeliverySettings settings,
    SmtpSettings smtp,
    ILogger<SmtpDelivery> logger) : IJob
{
    /// <summary>
    /// Every five minutes: only a safety net, for a wake-up that could not be stored. Every run is a row of the job
    /// history, and the emails do not need a poll (storing one wakes the job, and each run books the next retry), so a
    /// fast schedule would bury the runs that sent something under thousands of idle ones a day.
    /// </summary>
    public static readonly JobDefinition Definition = new("email-outbox",
        "Sends queued emails through the SMTP server; each failed email is retried with growing waits.")
    {
        Cron = "0 0/5 * * * ?",
    };

    internal const int BatchSize = 20;
    /// <summary>At most this many batches per run; a longer backlog goes on in the next run, booked for at once.</summary>
    internal const int MaxBatchesPerRun = 10;
    /// <summary>The soonest a run that sent nothing books the next one.</summary>
    internal static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(1);
    /// <summary>How long a claim keeps other processes off an email: one send, its recording, and a margin.</summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);
    /// <summary>The longest one email may take (connecting, signing in and sending, each also bounded by the SMTP timeout).</summary>
    internal static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(90);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        for (var batch = 1; batch <= MaxBatchesPerRun; batch++)
        {
            if (!await DeliverBatchAsync(tally, cancellationToken)) break;
        }
        var next = await BookNextRunAsync(context.Scheduler, tally.Tried > 0, cancellationToken);
        logger.Log(tally.Tried > 0 ? LogLevel.Information : LogLevel.Debug,
            "Email delivery: {Sent} sent, {Retrying} to retry, {Failed} given up; next run for a due email at {Next:O}",
            tally.Sent, tally.Retrying, tally.Failed, next);
    }

    /// <summary>Sends one batch of due emails; true when it was full (more may be due).</summary>
    private async Task<bool> DeliverBatchAsync(Tally tally, CancellationToken stop)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Untracked: an email is attached to the context only once this run holds its claim.
        var batch = await OutboxEmail.Due(db.OutboxEmails.AsNoTracking(), DateTime.UtcNow).Take(BatchSize).ToListAsync(stop);
        if (batch.Count == 0) return false;

        await using var mailer = new SmtpMailer(smtp);
        foreach (var email in batch)
        {
            stop.ThrowIfCancellationRequested();
            if (!await ClaimAsync(db, email, stop))
            {
                logger.LogDebug("Email {EmailId} skipped: another process claimed or tried it meanwhile", email.Id);
                continue;
            }
            var outcome = await DeliverAsync(mailer, email, stop);
            try
            {
                // Recorded before the next one, and even while stopping: a sent email must not look unsent, nor a
                // released one claimed.
                await db.SaveChangesAsync(CancellationToken.None);
                tally.Count(outcome);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Deleted meanwhile (the dev outbox's Clear button), or this claim expired and another process
                // claimed the email: either way the outcome is not this run's to record.
                logger.LogWarning("Email {EmailId}: outcome not recorded, the email was deleted or its claim expired meanwhile", email.Id);
                db.Entry(email).State = EntityState.Detached;
            }
        }
        return batch.Count == BatchSize;
    }

    /// <summary>
    /// Books the next run for the moment an unsent email comes due: its next attempt, or the end of a claim that is
    /// still live (its holder may have died). With nothing to wait for, no run is booked: the next email wakes the job.
    /// </summary>
    private async Task<DateTime?> BookNextRunAsync(IScheduler scheduler, bool triedSome, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var next = await OutboxEmail.WakeTimes(db.OutboxEmails, DateTime.UtcNow).Select(t => (DateTime?)t).FirstOrDefaultAsync(cancellationToken);
        if (next is { } due)
        {
            var at = new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc));
            // A run that found nothing to send never books the next one for at once: whatever made an email look due
            // but not sendable (a claim expiring this instant), the job must not spin on it.
            var earliest = DateTimeOffset.UtcNow + IdleGap;
            if (!triedSome && at < earliest) at = earliest;
            await OutboxWakeUps.WakeAtAsync(scheduler, OutboxWakeUps.NextDue, at, cancellationToken);
        }
        else
        {
            await scheduler.UnscheduleJob(OutboxWakeUps.NextDue, cancellationToken);
        }
        return next;
    }

    /// <summary>
    /// Takes <paramref name="email"/> for this run with one conditional UPDATE; true when it affected the row.
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

    private async Task<Attempt> DeliverAsync(SmtpMailer mailer, OutboxEmail email, CancellationToken stop)
    {
        if (!bodies.TryOpen(email, out var htmlBody))
        {
            // No retry can open it; the rest of the batch goes on.
            email.MarkFailedPermanently(DateTime.UtcNow, OutboxBodies.UnreadableError);
            logger.LogError("Email {EmailId} '{Subject}' to {To} not sent: its stored body could not be decrypted (changed in the "
                + "database, or its Data Protection key is gone); given up", email.Id, email.Subject, email.To);
            return Attempt.GivenUp;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(SendLimit);
        try
        {
            await mailer.SendAsync(email, htmlBody, limit.Token);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopping: no attempt counted, and the claim goes (recorded by the caller), so another process need not
            // wait out the lease. Cut off mid-DATA, the server did not take the message.
            email.ReleaseClaim();
            return Attempt.Released;
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
                return Attempt.GivenUp;
            }

            email.MarkFailed(now, error, settings.RetryDelayAfter(email.Attempts + 1));
            if (email.Attempts >= OutboxEmail.MaxAttempts)
            {
                logger.LogError("Email {EmailId} '{Subject}' to {To} failed {Attempts} times; giving up. Last error: {ErrorType}: {Error}",
                    email.Id, email.Subject, email.To, email.Attempts, e.GetType().Name, error);
                return Attempt.GivenUp;
            }
            logger.LogWarning("Email {EmailId} '{Subject}' to {To} not sent (attempt {Attempt} of {MaxAttempts}): {ErrorType}: {Error}. "
                + "Next attempt at {NextAttemptAtUtc:O}", email.Id, email.Subject, email.To, email.Attempts,
                OutboxEmail.MaxAttempts, e.GetType().Name, error, email.NextAttemptAtUtc);
            return Attempt.Retrying;
        }

        email.MarkSent(DateTime.UtcNow);
        logger.LogInformation("Email {EmailId} '{Subject}' sent to {To} via {Host} (attempt {Attempt})",
            email.Id, email.Subject, email.To, smtp.Host, email.Attempts);
        return Attempt.Sent;
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

/// <summary>How one email's turn in a run ended.</summary>
internal enum Attempt { Sent, Retrying, GivenUp, Released }

/// <summary>What one run did, for its log line.</summary>
internal sealed class Tally
{
    public int Sent { get; private set; }
    public int Retrying { get; private set; }
    public int Failed { get; private set; }
    public int Tried => Sent + Retrying + Failed;

    /// <summary>Counts a recorded attempt; a released claim (stopping) was none.</summary>
    public void Count(Attempt attempt)
    {
        if (attempt == Attempt.Sent) Sent++;
        else if (attempt == Attempt.Retrying) Retrying++;
        else if (attempt == Attempt.GivenUp) Failed++;
    }
}
