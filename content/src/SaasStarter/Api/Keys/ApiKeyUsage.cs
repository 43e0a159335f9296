using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.Keys;

/// <summary>
/// When each key was last used, without a database write per request: requests only note the time in memory, and
/// this writes what was noted once a minute (and when the app stops), one UPDATE per tenant. The admin page is at
/// most a minute behind. Both the minute and the times noted come from <see cref="TimeProvider"/>.
/// </summary>
public sealed class ApiKeyUsage(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUsage> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);

    private ConcurrentDictionary<Guid, (CurrentTenant Tenant, DateTime UsedAtUtc)> pending = new();

    public void Touch(CurrentTenant tenant, Guid keyId) => pending[keyId] = (tenant, clock.GetUtcNow().UtcDateTime);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last flush follows in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes what was noted since the last flush.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var noted = Interlocked.Exchange(ref pending, new());
        foreach (var tenant in noted.GroupBy(n => n.Value.Tenant.Id))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant.First().Value.Tenant);
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                foreach (var (keyId, (_, usedAtUtc)) in tenant)
                {
                    await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAtUtc == null || k.LastUsedAtUtc < usedAtUtc))
                        .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtUtc, usedAtUtc), cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Last-used times are a convenience: a failed write is logged, never a failed request.
                logger.LogWarning(e, "Could not record API key use for tenant {TenantId}", tenant.Key);
            }
        }
    }
}
