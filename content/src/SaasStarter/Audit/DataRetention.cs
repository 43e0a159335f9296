using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Idempotency;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Jobs;

namespace SaasStarter.Audit;

/// <summary>
/// Daily, per workspace: deletes its audit events older than its plan's <c>AuditRetentionDays</c> (no limit: kept
/// forever) and its API idempotency records past <see cref="IdempotentRequests.Window"/>, which no repeat can use any more.
/// Deletes run in small batches, each its own statement, so neither a long transaction nor (on SQLite) a long hold of the
/// write lock keeps the workspace's users waiting. Idempotent: a second run finds nothing older left.
/// </summary>
public sealed class DataRetention(AppDbContext db, WorkspaceFeatures workspace, ILogger<DataRetention> logger) : ITenantJob
{
    public static readonly JobDefinition Definition = new("data-retention",
        "Deletes audit events older than the plan keeps them, and API idempotency records older than 24 hours.")
    {
        Cron = "0 41 2 * * ?",
    };

    internal const int BatchSize = 500;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        if (workspace.Plan.Limits.AuditRetentionDays is { } days)
        {
            var before = now.AddDays(-days);
            // The one deliberate exception to the append-only audit log (AuditLog.GuardAppendOnly refuses tracked
            // deletes): retention is what the plan promises. ExecuteDelete goes around SaveChanges on purpose; the query
            // filter (and RLS on PostgreSQL) still keeps it to this workspace. On PostgreSQL the app's role may delete
            // audit events only once they are a day old (DatabaseMigrator.AuditRetentionPolicy); no plan keeps less.
            var events = await DeleteInBatchesAsync(db.AuditEvents.Where(e => e.OccurredAtUtc < before)
                .OrderBy(e => e.OccurredAtUtc).Select(e => e.Id), ids => db.AuditEvents.Where(e => ids.Contains(e.Id)), cancellationToken);
            if (events > 0) logger.LogInformation("Deleted {Count} audit events older than {Days} days", events, days);
        }

        var expired = now - IdempotentRequests.Window;
        var records = await DeleteInBatchesAsync(db.IdempotencyRecords.Where(r => r.CreatedAtUtc < expired)
            .OrderBy(r => r.CreatedAtUtc).Select(r => r.Id), ids => db.IdempotencyRecords.Where(r => ids.Contains(r.Id)), cancellationToken);
        if (records > 0) logger.LogInformation("Deleted {Count} idempotency records older than {Window}", records, IdempotentRequests.Window);
    }

    private static async Task<int> DeleteInBatchesAsync<T>(IQueryable<Guid> oldest, Func<List<Guid>, IQueryable<T>> rows,
        CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var batch = await oldest.Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0) return deleted;
            deleted += await rows(batch).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
