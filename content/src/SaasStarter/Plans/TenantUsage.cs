using SaasStarter.Data;

namespace SaasStarter.Plans;

/// <summary>
/// What the current tenant uses of its plan's count limits, counted when asked by each limit's own <see cref="PlanLimit.Usage"/>:
/// one COUNT on an index that starts with TenantId, so cheap at any size, and never stale (no counter to keep in step).
/// </summary>
public sealed class TenantUsage(AppDbContext db, PlanCatalog plans)
{
    /// <summary>Every declared limit, in the order the modules declared them (count limits and others).</summary>
    public IReadOnlyList<PlanLimit> Limits => plans.Limits;

    public Task<int> OfAsync(PlanLimit limit, CancellationToken cancellationToken = default) =>
        limit.Usage?.Invoke(db, cancellationToken) ?? throw new InvalidOperationException($"Plan limit {limit.Name} counts nothing.");

    /// <summary>Every count limit's usage, by limit name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> AllAsync(CancellationToken cancellationToken = default)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var limit in plans.Limits.Where(l => l.Usage is not null)) used[limit.Name] = await OfAsync(limit, cancellationToken);
        return used;
    }
}
