using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Api.Idempotency;
using SaasStarter.Api.Keys;
using SaasStarter.Core;
using SaasStarter.Data;
#if (hasFeature)
using SaasStarter.Features;
#endif

namespace SaasStarter.Widgets.Api;

/// <summary>
/// <c>/api/v1/widgets</c>: list, read, create, replace and delete the key's workspace's widgets (another workspace's ids
/// answer 404: the query filter never finds them). A widget's version is its ETag; PUT and DELETE honour <c>If-Match</c>,
/// POST honours <c>Idempotency-Key</c>. Writes go through <see cref="WidgetWrites"/>, audited with the key as the actor.
/// </summary>
internal static class WidgetsApi
{
    private const string GetWidgetName = "GetWidget";

    public static void Map(RouteGroupBuilder v1)
    {
#if (hasFeature)
        var group = v1.MapGroup("/widgets").RequireApiKey().RequireFeature(WidgetFeatures.Flag);
#else
        var group = v1.MapGroup("/widgets").RequireApiKey();
#endif

        group.MapGet("", ListAsync)
            .RequireScope(WidgetPermissions.Read)
            .WithName("ListWidgets")
            .WithSummary("The workspace's widgets, a page at a time.")
            .WithDescription($"Search names with search=…; sort with sort={string.Join('|', WidgetListing.Sorts)} (default {WidgetListing.DefaultSort}).");

        group.MapGet("/{id:guid}", GetAsync)
            .RequireScope(WidgetPermissions.Read)
            .WithName(GetWidgetName)
            .WithSummary("One item, with its version as the ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("", CreateAsync)
            .RequireScope(WidgetPermissions.Write)
            .WithIdempotency()
            .WithName("CreateWidget")
            .WithSummary("Creates one; send Idempotency-Key to make retries safe.");

        group.MapPut("/{id:guid}", UpdateAsync)
            .RequireScope(WidgetPermissions.Write)
            .WithName("UpdateWidget")
            .WithSummary("Replaces a widget's name and description; send If-Match to refuse overwriting a newer version.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapDelete("/{id:guid}", DeleteAsync)
            .RequireScope(WidgetPermissions.Write)
            .WithName("DeleteWidget")
            .WithSummary("Deletes one; send If-Match to refuse deleting a newer version than you read.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<Ok<PagedList<WidgetDto>>> ListAsync(
        [AsParameters] WidgetQuery query, AppDbContext db, HttpRequest request, CancellationToken cancellationToken)
    {
        var found = await WidgetListing.Find(db, query.Search, query.Sort).ToPagedListAsync(request, query, cancellationToken);
        return TypedResults.Ok(new PagedList<WidgetDto>([.. found.Items.Select(WidgetDto.From)], found.Page, found.PageSize, found.Total, found.Links));
    }

    private static async Task<Results<Ok<WidgetDto>, ProblemHttpResult>> GetAsync(
        Guid id, AppDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var item = await db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (item is null) return OutcomeProblems.Problem(Outcome.NotFound($"There is no widget {id} in this workspace."));
        response.Headers.ETag = VersionTags.For(item.Version);
        return TypedResults.Ok(WidgetDto.From(item));
    }

    private static async Task<Results<Created<WidgetDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        WidgetRequest request, WidgetWrites writes, LinkGenerator links, HttpContext http, CancellationToken cancellationToken)
    {
        var created = await writes.CreateAsync(request.ToInput(), cancellationToken);
        if (created.Value is not { } item) return OutcomeProblems.Problem(created);
        http.Response.Headers.ETag = VersionTags.For(item.Version);
        var location = links.GetPathByName(http, GetWidgetName, new { id = item.Id }) ?? $"/api/v1/widgets/{item.Id}";
        return TypedResults.Created(location, WidgetDto.From(item));
    }

    private static async Task<Results<Ok<WidgetDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, WidgetRequest request, [FromHeader(Name = VersionTags.IfMatchHeader)] string? ifMatch,
        WidgetWrites writes, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!VersionTags.TryParseIfMatch(ifMatch, out var precondition)) return TypedResults.ValidationProblem(VersionTags.IfMatchProblem());
        var updated = await writes.UpdateAsync(id, request.ToInput(), precondition, cancellationToken);
        if (!updated.Succeeded) return Refusal(updated, response);
        response.Headers.ETag = VersionTags.For(updated.Value!.Version);
        return TypedResults.Ok(WidgetDto.From(updated.Value));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        Guid id, [FromHeader(Name = VersionTags.IfMatchHeader)] string? ifMatch, WidgetWrites writes, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (!VersionTags.TryParseIfMatch(ifMatch, out var precondition)) return TypedResults.ValidationProblem(VersionTags.IfMatchProblem());
        var deleted = await writes.DeleteAsync(id, precondition, cancellationToken);
        return deleted.Succeeded ? TypedResults.NoContent() : Refusal(deleted, response);
    }

    /// <summary>A refused write; a stale one also says, in the ETag, which version the widget is at now.</summary>
    private static ProblemHttpResult Refusal(Outcome outcome, HttpResponse response)
    {
        if (outcome is Outcome<Widget> { Kind: OutcomeKind.Stale, Value: { } current }) response.Headers.ETag = VersionTags.For(current.Version);
        return OutcomeProblems.Problem(outcome);
    }
}
