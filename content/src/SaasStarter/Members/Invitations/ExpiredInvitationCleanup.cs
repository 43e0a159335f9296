using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Jobs;

namespace SaasStarter.Members.Invitations;

/// <summary>
/// Daily, per workspace: deletes the invitations nobody answered that expired more than <see cref="KeepDays"/> days ago.
/// Until then they stay on the invitations page, where an admin can still resend one; after that they are clutter.
/// Accepted and revoked invitations are left alone (they are the record of who joined or was withdrawn), and the audit
/// log keeps the invite itself. Idempotent: a second run finds nothing left to delete.
/// </summary>
public sealed class ExpiredInvitationCleanup(AppDbContext db, ILogger<ExpiredInvitationCleanup> logger) : ITenantJob
{
    public static readonly JobDefinition Definition = new("expired-invitation-cleanup",
        "Deletes invitations that expired unanswered more than 30 days ago.")
    {
        Cron = "0 23 2 * * ?",
    };

    public const int KeepDays = 30;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var before = DateTime.UtcNow.AddDays(-KeepDays);
        // The query filter (and RLS on PostgreSQL) keeps this to the workspace the job runs for.
        var deleted = await db.Invitations
            .Where(i => i.AcceptedAtUtc == null && i.RevokedAtUtc == null && i.ExpiresAtUtc < before)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0) logger.LogInformation("Deleted {Count} invitations that expired before {Before:u}", deleted, before);
    }
}
