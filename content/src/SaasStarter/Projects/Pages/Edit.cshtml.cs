using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects.Pages;

/// <summary>
/// Creates (no id) or edits a project, and archives or restores it, through <see cref="ProjectWrites"/> like the API (and
/// audited there). The form carries the version it showed, so a save over someone else's newer change is refused with a
/// message instead of overwriting it. Another tenant's project id finds nothing through the query filter: 404.
/// </summary>
[RequirePermission(ProjectPermissions.Read)]
public sealed class EditModel(AppDbContext db, ITenantContext tenant, ProjectWrites writes) : PageModel
{
    [BindProperty]
    public ProjectInput Input { get; set; } = new();

    /// <summary>The version the form showed (0 for a new project).</summary>
    [BindProperty]
    public int Version { get; set; }

    public Project? Project { get; private set; }
    public CurrentTenant Tenant => tenant.Tenant!;
    public bool CanWrite => tenant.Can(ProjectPermissions.Write);

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        if (id is null) return CanWrite ? Page() : Forbid403();
        Project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id);
        if (Project is null) return NotFound();
        Show(Project);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        if (!CanWrite) return Forbid403();
        if (!ModelState.IsValid)
        {
            if (id is not null && (Project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id)) is null) return NotFound();
            return Page();
        }
        var saved = id is { } existing
            ? await writes.UpdateAsync(existing, Input, status: null, IfMatch.Version(Version))
            : await writes.CreateAsync(Input);
        return Answer(saved);
    }

    public async Task<IActionResult> OnPostArchiveAsync(Guid id) =>
        CanWrite ? Answer(await writes.SetStatusAsync(id, ProjectStatus.Archived, IfMatch.Version(Version)), keepInput: false) : Forbid403();

    public async Task<IActionResult> OnPostRestoreAsync(Guid id) =>
        CanWrite ? Answer(await writes.SetStatusAsync(id, ProjectStatus.Active, IfMatch.Version(Version)), keepInput: false) : Forbid403();

    /// <summary>
    /// Saved: to the project. Refused: the form again with the reason, what was typed kept (nothing is lost), and a
    /// stale form brought up to the version that refused it, so saving again is a deliberate choice.
    /// </summary>
    private IActionResult Answer(Outcome<Project> outcome, bool keepInput = true)
    {
        if (outcome.Succeeded) return Redirect($"/t/{Tenant.Slug}/projects/{outcome.Value!.Id}");
        if (outcome.Kind == OutcomeKind.NotFound) return NotFound();
        if (outcome.Value is { } current)
        {
            Project = current;
            Version = current.Version;
            ModelState.Remove(nameof(Version));
            if (!keepInput) Show(current);
        }
        ModelState.AddModelError(string.Empty, outcome.Kind == OutcomeKind.Stale
            ? "Someone else changed this project since you opened it, so your change was not saved. Your text is kept below: save again to overwrite their change, or reload the project to see it first."
            : outcome.Problem!);
        return Page();
    }

    private void Show(Project project)
    {
        Input = new ProjectInput { Name = project.Name, Description = project.Description };
        Version = project.Version;
    }

    private StatusCodeResult Forbid403() => StatusCode(StatusCodes.Status403Forbidden);
}
