using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Api.Idempotency;
using SaasStarter.Api.Keys;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Projects.Api;

/// <summary>
/// <c>/api/v1/projects</c>: list, read, create, replace and delete the key's workspace's projects. The query filter
/// keeps every other tenant's projects out of reach (their ids answer 404). Each project's version is its ETag; writes
/// honour <c>If-Match</c>, and POST honours <c>Idempotency-Key</c>. Writes are audited; AuditLog records the key (and its creator) as the actor.
/// </summary>
internal static class ProjectsApi
{
    private const string GetProjectName = "GetProject";

    public static void Map(RouteGroupBuilder v1)
    {
        var projects = v1.MapGroup("/projects").RequireApiKey();

        projects.MapGet("", ListAsync)
            .RequireScope(ProjectPermissions.Read)
            .WithName("ListProjects")
            .WithSummary("The workspace's projects, a page at a time.")
            .WithDescription($"Filter with status=active|archived; sort with sort={string.Join('|', ProjectListing.Sorts)} (default {ProjectListing.DefaultSort}).");

        projects.MapGet("/{id:guid}", GetAsync)
            .RequireScope(ProjectPermissions.Read)
            .WithName(GetProjectName)
            .WithSummary("One project, with its version as the ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapPost("", CreateAsync)
            .RequireScope(ProjectPermissions.Write)
            .WithIdempotency()
            .WithName("CreateProject")
            .WithSummary("Creates a project; send Idempotency-Key to make retries safe.")
            .WithDescription($"Refused with 403 (type {ProblemTypes.PlanLimit}) when the workspace has as many projects as its plan allows.");

        projects.MapPut("/{id:guid}", UpdateAsync)
            .RequireScope(ProjectPermissions.Write)
            .WithName("UpdateProject")
            .WithSummary("Replaces a project's name, description and status; send If-Match to refuse overwriting a newer version.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        projects.MapDelete("/{id:guid}", DeleteAsync)
            .RequireScope(ProjectPermissions.Write)
            .WithName("DeleteProject")
            .WithSummary("Deletes a project; send If-Match to refuse deleting a newer version than you read.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<Ok<PagedList<ProjectDto>>> ListAsync(
        [AsParameters] ProjectQuery query, AppDbContext db, HttpRequest request, CancellationToken cancellationToken)
    {
        var projects = db.Projects.AsNoTracking();
        if (ProjectStatusNames.Parse(query.Status) is { } only) projects = projects.Where(p => p.Status == only);
        var found = await ProjectListing.Sort(projects, query.Sort ?? ProjectListing.DefaultSort)!
            .ToPagedListAsync(request, query, cancellationToken);
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
        CreateProjectRequest request, ProjectWrites writes, LinkGenerator links, HttpContext http, CancellationToken cancellationToken)
    {

        var created = await writes.CreateAsync(request.ToInput(), cancellationToken);
        if (created.Value is not { } project) return OutcomeProblems.Problem(created);
        http.Response.Headers.ETag = VersionTags.For(project.Version);
        var location = links.GetPathByName(http, GetProjectName, new { id = project.Id }) ?? $"/api/v1/projects/{project.Id}";
        return TypedResults.Created(location, ProjectDto.From(project));
    }

    private static async Task<Results<Ok<ProjectDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateProjectRequest request, [FromHeader(Name = VersionTags.IfMatchHeader)] string? ifMatch,
        ProjectWrites writes, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!VersionTags.TryParseIfMatch(ifMatch, out var precondition)) return TypedResults.ValidationProblem(VersionTags.IfMatchProblem());

        var updated = await writes.UpdateAsync(id, request.ToInput(), ProjectStatusNames.Parse(request.Status), precondition, cancellationToken);
        if (!updated.Succeeded) return Refusal(updated, response);
        response.Headers.ETag = VersionTags.For(updated.Value!.Version);
        return TypedResults.Ok(ProjectDto.From(updated.Value));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        Guid id, [FromHeader(Name = VersionTags.IfMatchHeader)] string? ifMatch, ProjectWrites writes, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (!VersionTags.TryParseIfMatch(ifMatch, out var precondition)) return TypedResults.ValidationProblem(VersionTags.IfMatchProblem());
        var deleted = await writes.DeleteAsync(id, precondition, cancellationToken);
        return deleted.Succeeded ? TypedResults.NoContent() : Refusal(deleted, response);
    }

    /// <summary>A refused write; a stale one also says, in the ETag, which version the project is at now.</summary>
    private static ProblemHttpResult Refusal(Outcome outcome, HttpResponse response)
    {
        if (outcome is Outcome<Project> { Kind: OutcomeKind.Stale, Value: { } current }) response.Headers.ETag = VersionTags.For(current.Version);
        return OutcomeProblems.Problem(outcome);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        OutcomeProblems.Problem(Outcome.NotFound($"There is no project {id} in this workspace."));
}
