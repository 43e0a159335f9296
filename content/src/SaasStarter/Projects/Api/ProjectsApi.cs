using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Api.Idempotency;
using SaasStarter.ApiKeys;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Projects.Api;

/// <summary>
/// <c>/api/v1/projects</c>: list, read, create, replace and delete the key's workspace's projects. The query filter
/// keeps every other tenant's projects out of reach (their ids answer 404). Each project's version is its ETag; writes
/// honour <c>If-Match</c>, and POST honours <c>Idempotency-Key</c>. Writes are audited; AuditLog records the key (and its creator) as the actor.
/// </summary>
internal sealed class ProjectsApi : IApiModule
{
    private const string GetProjectName = "GetProject";

    public void MapEndpoints(RouteGroupBuilder v1)
    {
        var projects = v1.MapGroup("/projects").RequireApiKey();

        projects.MapGet("", ListAsync)
            .RequireScope(Permissions.ProjectsRead)
            .WithName("ListProjects")
            .WithSummary("The workspace's projects, a page at a time.")
            .WithDescription($"Filter with status=active|archived; sort with sort={string.Join('|', ProjectListing.Sorts)} (default {ProjectListing.DefaultSort}).");

        projects.MapGet("/{id:guid}", GetAsync)
            .RequireScope(Permissions.ProjectsRead)
            .WithName(GetProjectName)
            .WithSummary("One project, with its version as the ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapPost("", CreateAsync)
            .RequireScope(Permissions.ProjectsWrite)
            .WithIdempotency()
            .WithName("CreateProject")
            .WithSummary("Creates a project; send Idempotency-Key to make retries safe.")
            .WithDescription($"Refused with 403 (type {PlanLimitGuard.ProblemType}) when the workspace has as many projects as its plan allows.");

        projects.MapPut("/{id:guid}", UpdateAsync)
            .RequireScope(Permissions.ProjectsWrite)
            .WithName("UpdateProject")
            .WithSummary("Replaces a project's name, description and status; send If-Match to refuse overwriting a newer version.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        projects.MapDelete("/{id:guid}", DeleteAsync)
            .RequireScope(Permissions.ProjectsWrite)
            .WithName("DeleteProject")
            .WithSummary("Deletes a project; send If-Match to refuse deleting a newer version than you read.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<Results<Ok<PagedList<ProjectDto>>, ValidationProblem>> ListAsync(
        AppDbContext db, HttpRequest request, int? page, int? pageSize, string? status, string? sort, CancellationToken cancellationToken)
    {
        var errors = ApiPaging.Problems(page, pageSize) ?? [];
        var wanted = ProjectStatusNames.Parse(status);
        if (status is not null && wanted is null)
        {
            errors["status"] = [$"Use '{ProjectStatusNames.Active}' or '{ProjectStatusNames.Archived}'."];
        }
        var projects = db.Projects.AsNoTracking();
        if (wanted is { } only) projects = projects.Where(p => p.Status == only);
        var ordered = ProjectListing.Sort(projects, sort ?? ProjectListing.DefaultSort);
        if (ordered is null) errors["sort"] = [$"Use one of {string.Join(", ", ProjectListing.Sorts)}."];
        if (errors.Count > 0 || ordered is null) return TypedResults.ValidationProblem(errors);

        var found = await ordered.ToPagedListAsync(request, page, pageSize, cancellationToken);
        return TypedResults.Ok(new PagedList<ProjectDto>([.. found.Items.Select(ProjectDto.From)], found.Page, found.PageSize, found.Total, found.Links));
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> GetAsync(
        Guid id, AppDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null) return NotFound(id);
        response.Headers.ETag = VersionTags.For(project.Version);
        return TypedResults.Ok(ProjectDto.From(project));
    }

    private static async Task<Results<Created<ProjectDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateProjectRequest request, AppDbContext db, AuditLog audit, PlanLimitGuard limits, ITenantContext tenant,
        LinkGenerator links, HttpContext http, CancellationToken cancellationToken)
    {
        if (RequestValidation.Problems(request) is { } errors) return TypedResults.ValidationProblem(errors);

        // Counted and saved under the workspace's lock, so two creates at once cannot both take the last place. (A
        // replayed Idempotency-Key never gets here: the filter answers it with the first response.)
        await using var held = await LimitLock.TakeAsync(db, tenant.Tenant!.Id, cancellationToken);
        if (await limits.RefuseProjectAsync(cancellationToken) is { } full) return PlanLimitGuard.Problem(full);

        var project = new Project { Name = "" };
        request.ToInput().ApplyTo(project);
        db.Projects.Add(project); // TenantId is stamped on save
        audit.Add(AuditActions.ProjectCreated, project.Name, new { id = project.Id });
        await db.SaveChangesAsync(cancellationToken);
        await held.CommitAsync(cancellationToken);

        http.Response.Headers.ETag = VersionTags.For(project.Version);
        var location = links.GetPathByName(http, GetProjectName, new { id = project.Id }) ?? $"/api/v1/projects/{project.Id}";
        return TypedResults.Created(location, ProjectDto.From(project));
    }

    private static async Task<Results<Ok<ProjectDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateProjectRequest request, [FromHeader(Name = VersionTags.IfMatchHeader)] string? ifMatch,
        AppDbContext db, AuditLog audit, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!VersionTags.TryParseIfMatch(ifMatch, out var precondition)) return TypedResults.ValidationProblem(VersionTags.IfMatchProblem());
        if (RequestValidation.Problems(request) is { } errors) return TypedResults.ValidationProblem(errors);

        var (outcome, project) = await ProjectWrites.SaveAsync(db, id, precondition, project =>
        {
            request.ToInput().ApplyTo(project);
            project.Status = ProjectStatusNames.Parse(request.Status)!.Value;
            var changed = ProjectWrites.ChangedFields(db, project);
            // An identical PUT saves nothing, keeps the version, and is no event.
            if (changed.Count > 0) audit.Add(AuditActions.ProjectUpdated, project.Name, new { id, changed });
        }, cancellationToken);

        if (outcome != ProjectWrites.Outcome.Saved) return Refusal(outcome, id, project, response);
        response.Headers.ETag = VersionTags.For(project!.Version);
        return TypedResults.Ok(ProjectDto.From(project));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        Guid id, [FromHeader(Name = VersionTags.IfMatchHeader)] string? ifMatch,
        AppDbContext db, AuditLog audit, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!VersionTags.TryParseIfMatch(ifMatch, out var precondition)) return TypedResults.ValidationProblem(VersionTags.IfMatchProblem());

        var (outcome, project) = await ProjectWrites.SaveAsync(db, id, precondition, project =>
        {
            db.Projects.Remove(project);
            audit.Add(AuditActions.ProjectDeleted, project.Name, new { id });
        }, cancellationToken);

        return outcome == ProjectWrites.Outcome.Saved ? TypedResults.NoContent() : Refusal(outcome, id, project, response);
    }

    private static ProblemHttpResult Refusal(ProjectWrites.Outcome outcome, Guid id, Project? project, HttpResponse response)
    {
        switch (outcome)
        {
            case ProjectWrites.Outcome.Stale:
                var current = VersionTags.For(project!.Version);
                response.Headers.ETag = current;
                return TypedResults.Problem(
                    title: "The project has changed since you read it.",
                    detail: $"If-Match does not match the project's current ETag, {current}. Read the project again, then decide whether to retry.",
                    statusCode: StatusCodes.Status412PreconditionFailed);
            case ProjectWrites.Outcome.Busy:
                return TypedResults.Problem(
                    title: "The project is being changed by others.",
                    detail: "Other writers changed the project during each attempt to save this request. Try again.",
                    statusCode: StatusCodes.Status409Conflict);
            default:
                return NotFound(id);
        }
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Not found.", detail: $"There is no project {id} in this workspace.", statusCode: StatusCodes.Status404NotFound);
}
