using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasStarter.Api;
using SaasStarter.Api.Keys;
using SaasStarter.Data;
using SaasStarter.Core;

namespace SaasStarter.Members.Api;

/// <summary>
/// <c>/api/v1/members</c>: the key's workspace's members, searchable and paged (members.read), and removing one
/// (members.manage). Removal goes through <see cref="MemberAdministration"/>, so its rules hold for keys as for people:
/// the last owner stays, and only an owner's key removes an owner.
/// </summary>
internal static class MembersApi
{
    public const int MaxSearchLength = 256;

    /// <summary>A member: <c>id</c> is the membership's (what DELETE takes), <c>userId</c> the person's across workspaces.</summary>
    public sealed record MemberDto(Guid Id, Guid UserId, string Email, string Role, DateTime JoinedAtUtc);

    public static void Map(RouteGroupBuilder v1)
    {
        var members = v1.MapGroup("/members").RequireApiKey();

        members.MapGet("", ListAsync)
            .RequireScope(MemberPermissions.Read)
            .WithName("ListMembers")
            .WithSummary("The workspace's members by email, paged; q narrows to emails containing it.");

        members.MapDelete("/{id:guid}", RemoveAsync)
            .RequireScope(MemberPermissions.Manage)
            .WithName("RemoveMember")
            .WithSummary("Removes a member from the workspace (never the last owner; only an owner's key removes an owner).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary><c>q</c> narrows the list to members whose email contains it.</summary>
    public sealed record MemberQuery : PageRequest
    {
        [MaxLength(MaxSearchLength, ErrorMessage = "q is at most {1} characters.")]
        public string? Q { get; init; }
    }

    private static async Task<Ok<PagedList<MemberDto>>> ListAsync(
        [AsParameters] MemberQuery query, AppDbContext db, HttpRequest request, CancellationToken cancellationToken)
    {
        var found = await db.MemberEntries(query.Q).ToPagedListAsync(request, query, cancellationToken);
        return TypedResults.Ok(new PagedList<MemberDto>([.. found.Items.Select(ToDto)], found.Page, found.PageSize, found.Total, found.Links));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(Guid id, MemberAdministration administration, ApiCaller caller)
    {
        var outcome = await administration.RemoveAsync(caller.CreatedByUserId!.Value, id);
        return outcome.Succeeded ? TypedResults.NoContent() : OutcomeProblems.Problem(outcome);
    }

    private static MemberDto ToDto(MemberEntry entry) =>
        new(entry.MembershipId, entry.UserId, entry.Email, entry.Role.ToString(), DateTime.SpecifyKind(entry.JoinedUtc, DateTimeKind.Utc));
}
