using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Jobs;
using SaasStarter.Members.Api;
using SaasStarter.Members.Invitations;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Members;

/// <summary>The permissions this module declares.</summary>
public static class MemberPermissions
{
    public const string Read = "members.read";
    public const string Invite = "members.invite";
    public const string Manage = "members.manage";
}

/// <summary>The audit actions this module records.</summary>
public static class MemberAudit
{
    public const string Invited = "member.invited";
    public const string InvitationResent = "invitation.resent";
    public const string InvitationRevoked = "invitation.revoked";
    public const string Joined = "member.joined";
    public const string RoleChanged = "member.role_changed";
    public const string Removed = "member.removed";
    public const string Left = "member.left";
    public const string OwnershipTransferred = "ownership.transferred";
}

/// <summary>
/// Who is in a tenant and with which role: the members page and API (roles, removal, leaving, ownership transfer, with
/// the rules that keep a tenant governable) and invitations by email with single-use links.
/// </summary>
public static class MembersModule
{
    /// <summary>The plan limit on seats: members plus invitations still waiting, so none can be invited past it and all accepted.</summary>
    public const string SeatLimit = "Members";

    public static WebApplicationBuilder AddMembers(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<MemberAdministration>();
        builder.AddSettings<InvitationSettings>(InvitationSettings.Section);
        builder.Services.AddScoped<InvitationEmail>();
        builder.Services.AddScoped<TenantInvitations>();
        builder.Services.AddScoped<InvitationAcceptance>();
        builder.AddTenantJob<ExpiredInvitationCleanup>(ExpiredInvitationCleanup.Definition);

        builder.AddPermission(MemberPermissions.Read, "See the workspace's members", TenantRole.Viewer, apiScope: true);
        builder.AddPermission(MemberPermissions.Invite, "Invite people to the workspace", TenantRole.Admin, apiScope: true);
        builder.AddPermission(MemberPermissions.Manage, "Change members' roles and remove members", TenantRole.Admin, apiScope: true);
        builder.AddAuditAction(MemberAudit.Invited, "Member invited");
        builder.AddAuditAction(MemberAudit.InvitationResent, "Invitation resent");
        builder.AddAuditAction(MemberAudit.InvitationRevoked, "Invitation revoked");
        builder.AddAuditAction(MemberAudit.Joined, "Member joined");
        builder.AddAuditAction(MemberAudit.RoleChanged, "Member's role changed");
        builder.AddAuditAction(MemberAudit.Removed, "Member removed");
        builder.AddAuditAction(MemberAudit.Left, "Member left");
        builder.AddAuditAction(MemberAudit.OwnershipTransferred, "Ownership transferred");
        builder.AddPlanLimit(new PlanLimit(SeatLimit, "Members", "members")
        {
            Usage = async (db, cancellationToken) => await db.Memberships.CountAsync(cancellationToken)
                + await db.Invitations.CountAsync(i => i.AcceptedAtUtc == null && i.RevokedAtUtc == null && i.ExpiresAtUtc > DateTime.UtcNow, cancellationToken),
            Note = "Members and invitations not yet accepted.",
            WhenReached = "Invitations not yet accepted count too: revoke one, remove a member or change plan to invite more.",
        });
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Members", "members", "bi-people", Order: 20)
        {
            Description = "Who is in the workspace, and their roles.",
            Permission = MemberPermissions.Read,
        });
        builder.AddNavigation(new NavigationEntry(NavigationArea.Tenant, "Invitations", "invitations", "bi-envelope", Order: 25)
        {
            Description = "Invite people by email and see who has not answered yet.",
            Permission = MemberPermissions.Invite,
        });
        return builder;
    }

    public static WebApplication MapMembers(this WebApplication app)
    {
        var v1 = app.ApiV1();
        MembersApi.Map(v1);
        InvitationsApi.Map(v1);
        return app;
    }
}
