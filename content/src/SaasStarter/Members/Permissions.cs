using SaasStarter.Tenancy;

namespace SaasStarter.Members;

/// <summary>
/// What a member may do in a tenant. Pages and endpoints require permissions, never role names, so a new role
/// or a changed grant is one edit here.
/// </summary>
public static class Permissions
{
    public const string MembersRead = "members.read";
    public const string MembersInvite = "members.invite";
    public const string MembersManage = "members.manage";
    public const string TenantSettings = "tenant.settings";
    public const string ProjectsRead = "projects.read";
    public const string ProjectsWrite = "projects.write";
    public const string AuditRead = "audit.read";
    public const string ApiKeysManage = "apikeys.manage";

    public static IReadOnlyList<string> All { get; } =
        [MembersRead, MembersInvite, MembersManage, TenantSettings, ProjectsRead, ProjectsWrite, AuditRead, ApiKeysManage];

    private static readonly IReadOnlyDictionary<TenantRole, IReadOnlySet<string>> Grants = new Dictionary<TenantRole, IReadOnlySet<string>>
    {
        [TenantRole.Owner] = All.ToHashSet(),
        // Admins run the tenant day to day; what only Owners may do (make or unmake Owners, transfer ownership)
        // is a rule of MemberAdministration, not a permission.
        [TenantRole.Admin] = All.ToHashSet(),
        [TenantRole.Member] = new HashSet<string> { MembersRead, ProjectsRead, ProjectsWrite },
        [TenantRole.Viewer] = new HashSet<string> { MembersRead, ProjectsRead },
    };

    public static bool Grant(TenantRole? role, string permission) => role is { } r && Grants[r].Contains(permission);
}
