using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Api.Keys;
using SaasStarter.Members.Invitations;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Members.Api;

/// <summary>
/// <c>/api/v1/invitations</c> (members.invite): the invitations still waiting for an answer, inviting someone by email
/// with a role, and revoking. Everything goes through <see cref="TenantInvitations"/>, so the key follows its rules
/// as its creator would: only an owner's key invites owners, no second invitation to the same address.
/// </summary>
internal static class InvitationsApi
{
    /// <summary>A waiting invitation: <c>status</c> is <c>open</c> or <c>expired</c> (an expired one can be revoked to clear it).</summary>
    public sealed record InvitationDto(Guid Id, string Email, string Role, string Status, DateTime ExpiresAtUtc);

    /// <summary><c>role</c>: Owner, Admin, Member or Viewer (any case). Both fields are checked before anything happens, so one answer lists every mistake.</summary>
    public sealed record InviteRequest([property: InvitableEmail] string? Email, [property: RoleName] string? Role)
    {
        public TenantRole? ParsedRole => RoleNameAttribute.Parse(Role);
    }

    /// <summary>An address the invitation could be sent to (<see cref="TenantInvitations.EmailProblem"/>).</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class InvitableEmailAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
            TenantInvitations.EmailProblem(value as string) is { } problem ? new ValidationResult(problem, [validationContext.MemberName!]) : ValidationResult.Success;
    }

    /// <summary>A role by name, in any case; numbers are not names, so "1" is refused rather than read as Admin.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class RoleNameAttribute() : ValidationAttribute($"role must be one of {string.Join(", ", Enum.GetNames<TenantRole>())}.")
    {
        public static TenantRole? Parse(string? name) =>
            Enum.GetValues<TenantRole>().Cast<TenantRole?>().FirstOrDefault(r => string.Equals(r.ToString(), name?.Trim(), StringComparison.OrdinalIgnoreCase));

        public override bool IsValid(object? value) => Parse(value as string) is not null;
    }

    public static void Map(RouteGroupBuilder v1)
    {
        var invitations = v1.MapGroup("/invitations").RequireApiKey().RequireScope(MemberPermissions.Invite);

        invitations.MapGet("", ListAsync)
            .WithName("ListInvitations")
            .WithSummary("The invitations still waiting for an answer (open or expired), newest first, paged.");

        invitations.MapGet("/{id:guid}", GetAsync)
            .WithName("GetInvitation")
            .WithSummary("One waiting invitation.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        invitations.MapPost("", InviteAsync)
            .WithName("CreateInvitation")
            .WithSummary("Invites someone by email with a role; they get an email with a link that works once.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        invitations.MapDelete("/{id:guid}", RevokeAsync)
            .WithName("RevokeInvitation")
            .WithSummary("Revokes a waiting invitation: its link stops working.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<PagedList<InvitationDto>>> ListAsync(
        [AsParameters] PageRequest paging, TenantInvitations invitations, HttpRequest request, CancellationToken cancellationToken)
    {
        var found = await invitations.Waiting().AsNoTracking().ToPagedListAsync(request, paging, cancellationToken);
        var now = DateTime.UtcNow;
        return TypedResults.Ok(new PagedList<InvitationDto>([.. found.Items.Select(i => ToDto(i, now))], found.Page, found.PageSize, found.Total, found.Links));
    }

    private static async Task<Results<Ok<InvitationDto>, ProblemHttpResult>> GetAsync(Guid id, TenantInvitations invitations,
        CancellationToken cancellationToken)
    {
        var invitation = await invitations.Waiting().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        return invitation is null
            ? OutcomeProblems.Problem(Outcome.NotFound("No waiting invitation has this id."))
            : TypedResults.Ok(ToDto(invitation, DateTime.UtcNow));
    }

    private static async Task<Results<Created<InvitationDto>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        InviteRequest body, TenantInvitations invitations, ApiCaller caller, LinkGenerator links, HttpContext http)
    {
        var invited = await invitations.InviteAsync(caller.CreatedByUserId!.Value, body.Email, body.ParsedRole!.Value);
        if (invited.Value is not { } invitation)
        {
            return invited.Kind == OutcomeKind.Invalid ? OutcomeProblems.Validation(invited) : OutcomeProblems.Problem(invited);
        }
        var location = links.GetPathByName(http, "GetInvitation", new { id = invitation.Id });
        return TypedResults.Created(location, ToDto(invitation, DateTime.UtcNow));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, TenantInvitations invitations, ApiCaller caller)
    {
        var outcome = await invitations.RevokeAsync(caller.CreatedByUserId!.Value, id);
        return outcome.Succeeded ? TypedResults.NoContent() : OutcomeProblems.Problem(outcome);
    }

    private static InvitationDto ToDto(Invitation invitation, DateTime now) =>
        new(invitation.Id, invitation.Email, invitation.Role.ToString(),
            invitation.StateAt(now) == InvitationState.Open ? "open" : "expired",
            DateTime.SpecifyKind(invitation.ExpiresAtUtc, DateTimeKind.Utc));
}
