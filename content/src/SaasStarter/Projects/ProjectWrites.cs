using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects;

/// <summary>
/// Every change to a project, for the pages and the API alike, each audited here, in the same transaction as the change.
/// Writes honour a precondition on the version the caller read (the API's If-Match; the edit form's hidden version), so
/// a stale write is refused (Stale) instead of overwriting what someone else saved. Without one the last write wins, and
/// a writer that loses a race reads the project again and applies its change to the fresh row.
/// </summary>
public sealed class ProjectWrites(AppDbContext db, AuditLog audit, PlanLimitGuard limits, ITenantContext tenant)
{
    private const int Attempts = 3;

    /// <summary>A new project, if the plan has room: counted and saved under the tenant's lock (see <see cref="LimitLock"/>).</summary>
    public async Task<Outcome<Project>> CreateAsync(ProjectInput input, CancellationToken cancellationToken = default)
    {
        // Counted and saved under the tenant's lock, so two creates at once cannot both take the last place. (A replayed
        // Idempotency-Key never gets here: the API's filter answers it with the first response.)
        await using var held = await LimitLock.TakeAsync(db, tenant.Tenant!.Id, cancellationToken);
        if (await limits.RefuseAsync(ProjectsModule.Limit, cancellationToken) is { } full) return Outcome<Project>.From(full);

        var project = new Project { Name = "" };
        input.ApplyTo(project);
        db.Projects.Add(project); // TenantId is stamped on save
        audit.Add(ProjectAudit.Created, project.Name, new { id = project.Id });
        await db.SaveChangesAsync(cancellationToken);
        await held.CommitAsync(cancellationToken);
        return project;
    }

    /// <summary>Replaces the editable fields, and the status when given. An identical write saves nothing and is no event.</summary>
    public Task<Outcome<Project>> UpdateAsync(Guid id, ProjectInput input, ProjectStatus? status, IfMatch? precondition,
        CancellationToken cancellationToken = default) =>
        SaveAsync(id, precondition, project =>
        {
            input.ApplyTo(project);
            if (status is { } changed) project.Status = changed;
            RecordUpdate(project);
        }, cancellationToken);

    /// <summary>Archives or restores a project (the list shows active and archived ones apart).</summary>
    public Task<Outcome<Project>> SetStatusAsync(Guid id, ProjectStatus status, IfMatch? precondition, CancellationToken cancellationToken = default) =>
        SaveAsync(id, precondition, project =>
        {
            project.Status = status;
            RecordUpdate(project);
        }, cancellationToken);

    public async Task<Outcome> DeleteAsync(Guid id, IfMatch? precondition, CancellationToken cancellationToken = default) =>
        await SaveAsync(id, precondition, project =>
        {
            db.Projects.Remove(project);
            audit.Add(ProjectAudit.Deleted, project.Name, new { id });
        }, cancellationToken);

    /// <summary>Read, check the precondition, change, save; on losing a race to another writer, again from the fresh row.</summary>
    private async Task<Outcome<Project>> SaveAsync(Guid id, IfMatch? precondition, Action<Project> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (project is null) return Outcome<Project>.From(NotFound(id));
            if (precondition?.IsMetBy(project.Version) == false)
            {
                return new Outcome<Project>(OutcomeKind.Stale, project,
                    $"The project has changed since you read it (it is at version {project.Version} now). Read it again, then decide whether to retry.");
            }
            change(project);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return project;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Forget this attempt (its change and its audit event) and start again from what is saved now.
                db.ChangeTracker.Clear();
            }
        }
        return Outcome<Project>.From(Outcome.Busy("Others changed the project during each attempt to save this. Try again."));
    }

    /// <summary>The update's event, naming the fields it changes; none (nothing will be saved): no event.</summary>
    private void RecordUpdate(Project project)
    {
        var entry = db.Entry(project);
        entry.DetectChanges();
        List<string> changed = [.. entry.Properties.Where(p => p.IsModified).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name))];
        if (changed.Count > 0) audit.Add(ProjectAudit.Updated, project.Name, new { id = project.Id, changed });
    }

    private static Outcome NotFound(Guid id) => Outcome.NotFound($"There is no project {id} in this workspace.");
}
