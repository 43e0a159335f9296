using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Jobs;

/// <summary>
/// Something a module keeps only for a while, declared with <see cref="RetentionRules.AddRetentionRule"/>: each day the
/// <see cref="DataRetention"/> job asks every rule, once per tenant inside that tenant (its query filter and row-level
/// security apply), to delete what it no longer keeps, and the rule answers how many rows went.
/// </summary>
public sealed record RetentionRule(string Name, Func<IServiceProvider, DateTime, CancellationToken, Task<int>> DeleteExpiredAsync);

public static class RetentionRules
{
    internal const int BatchSize = 500;

    public static WebApplicationBuilder AddRetentionRule(this WebApplicationBuilder builder, RetentionRule rule)
    {
        builder.Services.AddSingleton(rule);
        return builder;
    }

    /// <summary>
    /// Deletes <paramref name="expired"/> (ordered oldest first, projected to ids) in small batches, each its own statement,
    /// so neither a long transaction nor (on SQLite) a long hold of the write lock keeps the tenant's users waiting.
    /// <c>ExecuteDelete</c> goes around SaveChanges on purpose; the query filter still keeps it to the current tenant.
    /// </summary>
    public static async Task<int> DeleteInBatchesAsync<T>(IQueryable<Guid> expired, Func<List<Guid>, IQueryable<T>> rows,
        CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var batch = await expired.Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0) return deleted;
            deleted += await rows(batch).ExecuteDeleteAsync(cancellationToken);
        }
    }
}

/// <summary>Daily, per tenant: every module's <see cref="RetentionRule"/>. Idempotent: a second run finds nothing older left.</summary>
public sealed class DataRetention(IServiceProvider services, IEnumerable<RetentionRule> rules, ILogger<DataRetention> logger) : ITenantJob
{
    public static readonly JobDefinition Definition = new("data-retention",
        "Deletes what each module keeps only for a while: audit events older than the plan keeps them, API idempotency records older than 24 hours.")
    {
        Cron = "0 41 2 * * ?",
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        foreach (var rule in rules)
        {
            var deleted = await rule.DeleteExpiredAsync(services, now, cancellationToken);
            if (deleted > 0) logger.LogInformation("Retention {Rule}: deleted {Count} rows", rule.Name, deleted);
        }
    }
}
