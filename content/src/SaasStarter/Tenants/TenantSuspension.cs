using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants;

/// <summary>
/// The platform operator suspends and reactivates tenants. The change and its audit event (in the tenant's own log,
/// so its owners see what the operator did) are saved in one transaction, and only when the state really changes.
/// Suspending is a platform change: its effect reaches the tenant's members through <see cref="TenantDirectory"/>,
/// which is told to forget the tenant, and TenantResolution, which then refuses them.
/// </summary>
public sealed class TenantSuspension(AppDbContext db, IServiceScopeFactory scopes, TenantDirectory directory,
    ILogger<TenantSuspension> logger)
{
    public async Task<Outcome> SetAsync(Guid tenantId, bool suspend, CancellationToken cancellationToken = default)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null) return Outcome.NotFound("There is no such workspace.");

        // The event is tenant-owned, so it is written from a scope of its own that acts for the tenant, entered
        // before the transaction opens its connection: PostgreSQL's row-level security then admits the row with no
        // platform bypass.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(tenant));
        var inTenant = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        AuditEvent? recorded = null;
        await using (var transaction = await inTenant.Database.BeginTransactionAsync(cancellationToken))
        {
            // One conditional UPDATE: idempotent, and two operators pressing at once change (and record) it once.
            var row = inTenant.Tenants.Where(t => t.Id == tenantId);
            row = suspend ? row.Where(t => t.SuspendedAtUtc == null) : row.Where(t => t.SuspendedAtUtc != null);
            DateTime? suspendedAtUtc = suspend ? DateTime.UtcNow : null;
            var changed = await row.ExecuteUpdateAsync(s => s.SetProperty(t => t.SuspendedAtUtc, suspendedAtUtc), cancellationToken);
            if (changed > 0)
            {
                // The actor is the signed-in operator, read by the audit log from the request.
                recorded = scope.ServiceProvider.GetRequiredService<AuditLog>().Add(
                    suspend ? TenantAudit.Suspended : TenantAudit.Reactivated, tenant.Slug);
                await inTenant.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        directory.Forget(tenant.Slug);
        if (recorded is null) return Outcome.Unchanged;

        logger.LogInformation("Platform operator {OperatorId} {OperatorAction} tenant {TenantId} ({TenantSlug})",
            recorded.ActorUserId, suspend ? "suspended" : "reactivated", tenant.Id, tenant.Slug);
        return Outcome.Done;
    }
}
