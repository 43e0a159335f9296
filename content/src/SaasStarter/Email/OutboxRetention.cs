using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Data;
using SaasStarter.Jobs;

namespace SaasStarter.Email;

/// <summary>
/// The platform job <c>email-outbox-retention</c> (with or without an SMTP server): removes the body of every email that
/// will not be sent any more but still has one (one that grew too old to send, e.g. while no server was configured),
/// then deletes those emails stored more than <c>Email:KeepSentDays</c> ago. A platform job, not a rule of the
/// per-workspace data-retention job: the outbox belongs to no workspace. Idempotent; "now" comes from
/// <see cref="TimeProvider"/>.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OutboxRetention(AppDbContext db, EmailDeliverySettings settings, TimeProvider clock, ILogger<OutboxRetention> logger) : IJob
{
    public static readonly JobDefinition Definition = new("email-outbox-retention",
        "Deletes sent and given-up emails older than Email:KeepSentDays, and the bodies of emails that will not be sent.")
    {
        Cron = "0 53 3 * * ?",
    };

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await PurgeAsync(cancellationToken);

    /// <summary>What a run does, at the <see cref="TimeProvider"/>'s now.</summary>
    internal async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cleared = await OutboxEmail.Settled(db.OutboxEmails, now).Where(e => e.ProtectedHtmlBody != null)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ProtectedHtmlBody, (string?)null), cancellationToken);

        var before = now.AddDays(-settings.KeepSentDays);
        var expired = OutboxEmail.Settled(db.OutboxEmails, now).Where(e => e.CreatedAtUtc < before)
            .OrderBy(e => e.CreatedAtUtc).Select(e => e.Id);
        var deleted = await RetentionRules.DeleteInBatchesAsync(expired, ids => db.OutboxEmails.Where(e => ids.Contains(e.Id)), cancellationToken);
        logger.LogInformation("Outbox retention: removed {Cleared} bodies of emails that will not be sent, deleted {Deleted} emails older than {Days} days",
            cleared, deleted, settings.KeepSentDays);
    }
}
