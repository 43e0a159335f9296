using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Data;
#if (PlanLimit)
using SaasStarter.Plans;
using SaasStarter.Tenancy;
#endif

namespace SaasStarter.Widgets;

/// <summary>
/// Every change to one, for the pages and the API alike, each audited here in the same save as the change. Updates
/// and deletes honour a precondition on the version the caller read (the API's If-Match, the form's hidden version):
/// a stale write is refused instead of overwriting what someone else saved.
/// </summary>
#if (PlanLimit)
public sealed class WidgetWrites(AppDbContext db, AuditLog audit, PlanLimitGuard limits, ITenantContext tenant)
#else
public sealed class WidgetWrites(AppDbContext db, AuditLog audit)
#endif
{
    public async Task<Outcome<Widget>> CreateAsync(WidgetInput input, CancellationToken cancellationToken = default)
    {
#if (PlanLimit)
        // Counted and saved under the workspace's lock, so two creates at once cannot both take the last place.
        await using var held = await LimitLock.TakeAsync(db, tenant.Tenant!.Id, cancellationToken);
        if (await limits.RefuseAsync(WidgetsModule.Limit, cancellationToken) is { } full) return Outcome<Widget>.From(full);

#endif
        var item = new Widget { Name = "" };
        input.ApplyTo(item);
        db.Widgets.Add(item); // TenantId is stamped on save
        audit.Add(WidgetAudit.Created, item.Name, new { id = item.Id });
        await db.SaveChangesAsync(cancellationToken);
#if (PlanLimit)
        await held.CommitAsync(cancellationToken);
#endif
        return item;
    }

    /// <summary>Replaces the editable fields; an identical write saves nothing and is no event.</summary>
    public Task<Outcome<Widget>> UpdateAsync(Guid id, WidgetInput input, IfMatch? precondition, CancellationToken cancellationToken = default) =>
        SaveAsync(id, precondition, item =>
        {
            input.ApplyTo(item);
            var entry = db.Entry(item);
            entry.DetectChanges();
            List<string> changed = [.. entry.Properties.Where(p => p.IsModified).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name))];
            if (changed.Count > 0) audit.Add(WidgetAudit.Updated, item.Name, new { id, changed });
        }, cancellationToken);

    public async Task<Outcome> DeleteAsync(Guid id, IfMatch? precondition, CancellationToken cancellationToken = default) =>
        await SaveAsync(id, precondition, item =>
        {
            db.Widgets.Remove(item);
            audit.Add(WidgetAudit.Deleted, item.Name, new { id });
        }, cancellationToken);

    /// <summary>Read, check the precondition, change, save. A writer that loses a race to a concurrent save is told to retry.</summary>
    private async Task<Outcome<Widget>> SaveAsync(Guid id, IfMatch? precondition, Action<Widget> change, CancellationToken cancellationToken)
    {
        var item = await db.Widgets.SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (item is null) return Outcome<Widget>.From(Outcome.NotFound($"There is no widget {id} in this workspace."));
        if (precondition?.IsMetBy(item.Version) == false)
        {
            return new Outcome<Widget>(OutcomeKind.Stale, item,
                $"It has changed since you read it (it is at version {item.Version} now). Read it again, then decide whether to retry.");
        }
        change(item);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return item;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome<Widget>.From(Outcome.Busy("Someone else saved it at the same moment. Read it again and retry."));
        }
    }
}
