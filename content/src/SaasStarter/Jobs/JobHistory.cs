using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

using SaasStarter.Tenancy;

namespace SaasStarter.Jobs;

/// <summary>
/// The questions the jobs pages ask of <see cref="JobRun"/>. Runs are written by the platform and are not tenant-owned,
/// so no query filter or row-level security narrows them: a workspace's page reads them only through
/// <see cref="OfTenant"/>, whose explicit filter is the isolation.
/// </summary>
public static class JobHistory
{
    /// <summary>Every job's runs, newest first, narrowed by any of job name, outcome and workspace (for the operator).</summary>
    public static IQueryable<JobRun> Recent(AppDbContext db, string? job = null, JobOutcome? outcome = null, Guid? tenantId = null)
    {
        var runs = db.JobRuns.AsNoTracking();
        if (!string.IsNullOrEmpty(job)) runs = runs.Where(r => r.JobName == job);
        if (outcome is { } wanted) runs = runs.Where(r => r.Outcome == wanted);
        if (tenantId is { } id) runs = runs.Where(r => r.TenantId == id);
        return NewestFirst(runs);
    }

    /// <summary>One workspace's own runs, newest first: the only way a workspace's page reads the history.</summary>
    public static IQueryable<JobRun> OfTenant(AppDbContext db, Guid tenantId) =>
        NewestFirst(db.JobRuns.AsNoTracking().Where(r => r.TenantId == tenantId));

    /// <summary>The newest run of each job (of any workspace), by job name.</summary>
    public static async Task<Dictionary<string, JobRun>> LatestPerJobAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        var latest = await db.JobRuns.AsNoTracking()
            .Where(r => r.StartedAtUtc == db.Set<JobRun>().Where(o => o.JobName == r.JobName).Max(o => o.StartedAtUtc))
            .ToListAsync(cancellationToken);
        // Two runs of one job may start in the same tick: keep one.
        return latest.GroupBy(r => r.JobName).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!, StringComparer.Ordinal);
    }

    /// <summary>The addresses of the workspaces <paramref name="runs"/> ran for (gone workspaces are missing).</summary>
    public static async Task<Dictionary<Guid, string>> SlugsOfAsync(AppDbContext db, IEnumerable<JobRun> runs, CancellationToken cancellationToken = default)
    {
        var ids = runs.Where(r => r.TenantId is not null).Select(r => r.TenantId!.Value).Distinct().ToList();
        if (ids.Count == 0) return [];
        return await db.Tenants.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Slug, cancellationToken);
    }

    /// <summary>How long a finished run took; null while it runs.</summary>
    public static TimeSpan? Duration(this JobRun run) => run.EndedAtUtc - run.StartedAtUtc;

    private static IQueryable<JobRun> NewestFirst(IQueryable<JobRun> runs) =>
        runs.OrderByDescending(r => r.StartedAtUtc).ThenByDescending(r => r.Id);
}
