namespace SaasStarter.Audit;

/// <summary>The actions the audit log records; the page offers them as a filter.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string SignInLockedOut = "signin.locked_out";
    public const string TenantCreated = "tenant.created";
    public const string MemberInvited = "member.invited";
    public const string InvitationResent = "invitation.resent";
    public const string InvitationRevoked = "invitation.revoked";
    public const string MemberJoined = "member.joined";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberLeft = "member.left";
    public const string OwnershipTransferred = "ownership.transferred";
    public const string TenantSettingsChanged = "tenant.settings_changed";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string ProjectCreated = "project.created";
    public const string ProjectUpdated = "project.updated";
    public const string ProjectDeleted = "project.deleted";
    public const string FeatureToggled = "feature.toggled";
    // Someone of the workspace ran one of its jobs now from its jobs page.
    public const string JobTriggered = "job.triggered";

    // Written by jobs: the weekly summary records the week it was sent for (and that key keeps it to once a week).
    public const string WeeklySummarySent = "summary.weekly_sent";

    // Recorded by the platform operator's actions on a tenant, in that tenant's log (its owners see them too).
    public const string OperatorTenantSuspended = "operator.tenant_suspended";
    public const string OperatorTenantReactivated = "operator.tenant_reactivated";
    public const string OperatorFeatureOverridden = "operator.feature_overridden";
    public const string OperatorJobTriggered = "operator.job_triggered";

    // The workspace's plan changed: by the operator, or by whatever calls PlanAssignment (a payment webhook).
    public const string PlanChanged = "plan.changed";

    public static IReadOnlyList<string> All { get; } =
    [
        SignInSucceeded, SignInFailed, SignInLockedOut, TenantCreated, MemberInvited, InvitationResent, InvitationRevoked, MemberJoined,
        MemberRoleChanged, MemberRemoved, MemberLeft, OwnershipTransferred, TenantSettingsChanged, ApiKeyCreated, ApiKeyRevoked, OperatorTenantSuspended,
        OperatorTenantReactivated, OperatorFeatureOverridden, OperatorJobTriggered, PlanChanged, FeatureToggled, JobTriggered,
        ProjectCreated, ProjectUpdated, ProjectDeleted, WeeklySummarySent,
    ];
}
