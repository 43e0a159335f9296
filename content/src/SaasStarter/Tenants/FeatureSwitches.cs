using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Core;
using SaasStarter.Features;

namespace SaasStarter.Tenants;

/// <summary>
/// Switching a flag for a workspace: its owner (or anyone with tenant.settings) switches the flags owners may switch, in
/// the current workspace; the platform operator overrides any flag for any workspace. Null clears the switch, so the
/// next rule decides again. Each change and its audit event are saved together, then the cache forgets the workspace.
/// </summary>
public sealed class FeatureSwitches(AppDbContext db, ITenantContext tenant, FeatureCatalog features, FeatureOverrideCache cache,
    AuditLog audit, IServiceScopeFactory scopes)
{
    /// <summary>The current workspace's own switch of <paramref name="feature"/>.</summary>
    public async Task<Outcome> SetOwnerAsync(string feature, bool? enabled, CancellationToken cancellationToken = default)
    {
        if (tenant.Tenant is not { } current) throw new InvalidOperationException("Switching a flag needs a workspace.");
        if (!tenant.Can(TenantPermissions.Settings)) return Outcome.Refused("You cannot change this workspace's features.");
        if (features.Find(feature) is not { OwnerToggleable: true }) return Outcome.Refused($"'{feature}' is not a feature this workspace can switch.");

        var outcome = await SaveAsync(db, audit, feature, FeatureOverrideSource.Owner, enabled, TenantAudit.FeatureToggled, cancellationToken);
        cache.Forget(current.Id);
        return outcome;
    }

    /// <summary>The operator's override of <paramref name="feature"/> for the workspace <paramref name="tenantId"/>.</summary>
    public async Task<Outcome> SetOperatorAsync(Guid tenantId, string feature, bool? enabled, CancellationToken cancellationToken = default)
    {
        if (features.Find(feature) is null) return Outcome.NotFound($"There is no feature '{feature}'.");
        var workspace = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (workspace is null) return Outcome.NotFound("That workspace no longer exists.");

        // The override is tenant-owned: written from a scope that acts for the workspace, as TenantSuspension does, so
        // row-level security admits it with no bypass; the event lands in the workspace's own log.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(workspace));
        var outcome = await SaveAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<AuditLog>(),
            feature, FeatureOverrideSource.Operator, enabled, TenantAudit.FeatureOverridden, cancellationToken);
        cache.Forget(tenantId);
        return outcome;
    }

    private static async Task<Outcome> SaveAsync(AppDbContext inTenant, AuditLog log, string feature, FeatureOverrideSource source,
        bool? enabled, string action, CancellationToken cancellationToken)
    {
        await using var transaction = await inTenant.Database.BeginTransactionAsync(cancellationToken);
        var row = await inTenant.FeatureOverrides.SingleOrDefaultAsync(o => o.Feature == feature && o.Source == source, cancellationToken);
        if (row?.Enabled == enabled || (row is null && enabled is null)) return Outcome.Unchanged;

        var before = row?.Enabled;
        if (enabled is not { } on)
        {
            inTenant.FeatureOverrides.Remove(row!);
        }
        else if (row is null)
        {
            inTenant.FeatureOverrides.Add(new FeatureOverride { Feature = feature, Source = source, Enabled = on });
        }
        else
        {
            row.Enabled = on;
            row.UpdatedAtUtc = DateTime.UtcNow;
        }
        var entry = log.Add(action, feature, new { feature, from = before, to = enabled });
        foreach (var written in inTenant.ChangeTracker.Entries<FeatureOverride>().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            written.Entity.UpdatedByUserId = entry.ActorUserId;
        }
        try
        {
            await inTenant.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two switches of the same flag at once: the unique index kept one row; the other answers, not a 500.
            return Outcome.Busy("Someone changed this feature at the same moment; look again and retry.");
        }
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Done;
    }
}
