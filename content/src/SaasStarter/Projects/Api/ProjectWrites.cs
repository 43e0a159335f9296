using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Data;

namespace SaasStarter.Projects.Api;

/// <summary>
/// Read, check If-Match, change, save: the write path of PUT and DELETE. Project's version is a concurrency token, so
/// a writer that loses a race (another saved between its read and its write) fails to save. It then reads the project
/// again: under If-Match the new version no longer matches (412) or the project is gone (404); without If-Match the
/// change is applied to the fresh row, because the client asked for the last write to win.
/// </summary>
internal static class ProjectWrites
{
    public enum Outcome { Saved, NotFound, Stale, Busy }

    private const int Attempts = 3;

    public static async Task<(Outcome Outcome, Project? Project)> SaveAsync(
        AppDbContext db, Guid id, IfMatch? precondition, Action<Project> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (project is null) return (Outcome.NotFound, null);
            if (precondition?.IsMetBy(project.Version) == false) return (Outcome.Stale, project);
            change(project);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (Outcome.Saved, project);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Forget this attempt (its change and its audit event) and start again from what is saved now.
                db.ChangeTracker.Clear();
            }
        }
        return (Outcome.Busy, null);
    }

    /// <summary>The JSON names of the project's fields that the change modified (none: nothing will be saved).</summary>
    public static List<string> ChangedFields(AppDbContext db, Project project)
    {
        var entry = db.Entry(project);
        entry.DetectChanges();
        return [.. entry.Properties.Where(p => p.IsModified).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Metadata.Name))];
    }
}
