using SaasStarter.Members;
using SaasStarter.Tenancy;

namespace SaasStarter.Tests.Members;

/// <summary>Each role holds exactly the permissions this table says; a change to the grants must change it too.</summary>
public sealed class PermissionMatrixTests
{
    public static TheoryData<TenantRole, string[]> Matrix() => new()
    {
        { TenantRole.Owner, Permissions.All.ToArray() },
        { TenantRole.Admin, Permissions.All.ToArray() },
        { TenantRole.Member, [Permissions.MembersRead, Permissions.ProjectsRead, Permissions.ProjectsWrite] },
        { TenantRole.Viewer, [Permissions.MembersRead, Permissions.ProjectsRead] },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_role_grants_exactly_its_permissions(TenantRole role, string[] expected)
    {
        foreach (var permission in Permissions.All)
        {
            Assert.True(Permissions.Grant(role, permission) == expected.Contains(permission),
                $"{role} {(expected.Contains(permission) ? "should" : "should not")} have {permission}");
        }
    }

    [Fact]
    public void No_role_means_no_permission() =>
        Assert.DoesNotContain(Permissions.All, permission => Permissions.Grant(null, permission));
}
