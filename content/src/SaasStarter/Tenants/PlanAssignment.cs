using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Core;
using SaasStarter.Plans;

namespace SaasStarter.Tenants;

/// <summary>
/// Puts a workspace on a plan: the one operation the operator's page uses today and a payment webhook would call
/// tomorrow (with its own <c>reason</c>). The change and its event in the workspace's log are saved together, only when
/// the plan really changes; then TenantDirectory forgets the workspace, so its next request runs on the new plan.
/// </summary>
public sealed class PlanAssignment(AppDbContext db, PlanCatalog plans, IServiceScopeFactory scopes, TenantDirectory directory)
{
    public async Task<Outcome> AssignAsync(Guid tenantId, string planId, string reason, CancellationToken cancellationToken = default)
    {
        if (plans.Find(planId) is null) return Outcome.Invalid("plan", $"There is no such plan; choose one of {string.Join(", ", plans.All.Select(p => p.Name))}.");
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null) return Outcome.NotFound("There is no such workspace.");

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(tenant));
        var inTenant = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var changed = 0;
        await using (var transaction = await inTenant.Database.BeginTransactionAsync(cancellationToken))
        {
            // Conditional on the plan it had: two assignments at once change (and record) it once.
            changed = await inTenant.Tenants.Where(t => t.Id == tenantId && t.Plan == tenant.Plan)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Plan, planId), cancellationToken);
            if (changed > 0 && plans.Of(tenant.Plan).Id != planId)
            {
                scope.ServiceProvider.GetRequiredService<AuditLog>().Add(TenantAudit.PlanChanged, tenant.Slug,
                    new { from = plans.Of(tenant.Plan).Id, to = planId, reason });
                await inTenant.SaveChangesAsync(cancellationToken);
            }
            else
            {
                changed = 0;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        directory.Forget(tenant.Slug);
        return changed > 0 ? Outcome.Done : Outcome.Unchanged;
    }
}
