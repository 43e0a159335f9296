using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Projects;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Tenant.Projects;

/// <summary>
/// Creates (no id) or edits a project, and archives or restores it. Another tenant's project id finds nothing
/// through the query filter, so it answers 404 like an id that never existed.
/// </summary>
[RequirePermission(Permissions.ProjectsRead)]
public sealed class EditModel(AppDbContext db, ITenantContext tenant, PlanLimitGuard limits) : PageModel
{
    [BindProperty]
    public ProjectInput Input { get; set; } = new();

    public Project? Project { get; private set; }
    public CurrentTenant Tenant => tenant.Tenant!;
    public bool CanWrite => Permissions.Grant(tenant.MemberRole, Permissions.ProjectsWrite);

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        if (id is null) return CanWrite ? Page() : Forbid403();
        Project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id);
        if (Project is null) return NotFound();
        Input = new ProjectInput { Name = Project.Name, Description = Project.Description };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        if (!CanWrite) return Forbid403();
        Project = id is null ? null : await db.Projects.SingleOrDefaultAsync(p => p.Id == id);
        if (id is not null && Project is null) return NotFound();
        if (!ModelState.IsValid) return Page();
        if (Project is null) return await CreateAsync();

        Input.ApplyTo(Project);
        if (!await TrySaveAsync()) return Page();
        return Redirect($"/t/{Tenant.Slug}/projects/{Project.Id}");
    }

    /// <summary>A new project, if the plan has room: counted and saved under the workspace's lock (see <see cref="LimitLock"/>).</summary>
    private async Task<IActionResult> CreateAsync()
    {
        await using var held = await LimitLock.TakeAsync(db, Tenant.Id);
        if (await limits.RefuseProjectAsync() is { } full)
        {
            // On the form, with what was typed, so nothing is lost.
            ModelState.AddModelError(string.Empty, full);
            return Page();
        }
        var project = new Project { Name = Input.Name };
        Input.ApplyTo(project);
        db.Projects.Add(project); // TenantId is stamped on save
        await db.SaveChangesAsync();
        await held.CommitAsync();
        return Redirect($"/t/{Tenant.Slug}/projects/{project.Id}");
    }

    public Task<IActionResult> OnPostArchiveAsync(Guid id) => SetStatusAsync(id, ProjectStatus.Archived);

    public Task<IActionResult> OnPostRestoreAsync(Guid id) => SetStatusAsync(id, ProjectStatus.Active);

    private async Task<IActionResult> SetStatusAsync(Guid id, ProjectStatus status)
    {
        if (!CanWrite) return Forbid403();
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id);
        if (project is null) return NotFound();
        project.Status = status;
        if (!await TrySaveAsync())
        {
            (Project, Input) = (project, new ProjectInput { Name = project.Name, Description = project.Description });
            return Page();
        }
        return Redirect($"/t/{Tenant.Slug}/projects/{project.Id}");
    }

    /// <summary>
    /// Saves, or says why not: another writer (the API, another tab) saved this project between this request's read
    /// and its write, and the project's version refused the stale write (<see cref="Data.IVersioned"/>).
    /// </summary>
    private async Task<bool> TrySaveAsync()
    {
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, "Someone else changed this project at the same moment, so this change was not saved. Reload the project and try again.");
            return false;
        }
    }

    private StatusCodeResult Forbid403() => StatusCode(StatusCodes.Status403Forbidden);
}
