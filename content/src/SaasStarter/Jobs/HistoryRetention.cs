using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Data;

namespace SaasStarter.Jobs;

/// <summary>Deletes run history older than <c>Jobs:HistoryDays</c>, in batches so no transaction grows large.</summary>
[DisallowConcurrentExecution]
internal sealed class HistoryRetention(AppDbContext db, JobSettings settings, ILogger<HistoryRetention> logger) : IJob
{
    public static readonly JobDefinition Definition = new("job-history-retention", "Deletes job run history older than Jobs:HistoryDays.")
    {
        Cron = "0 17 3 * * ?",
    };

    private const int BatchSize = 1000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var before = DateTime.UtcNow.AddDays(-settings.HistoryDays);
        var deleted = 0;
        while (true)
        {
            var batch = await db.JobRuns.Where(r => r.StartedAtUtc < before).OrderBy(r => r.StartedAtUtc)
                .Select(r => r.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0) break;
            deleted += await db.JobRuns.Where(r => batch.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        logger.LogInformation("Deleted {Count} job runs older than {Days} days", deleted, settings.HistoryDays);
    }
}
