using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Keys;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tenants;
using SaasStarter.Tests.Infrastructure;

using SaasStarter.ApiKeys;

namespace SaasStarter.Tests.Members;

/// <summary>
/// The roles of the template's own permissions, as this table says (a changed grant must change it too), read from the
/// catalog the modules fill at start-up; and the one rule for every permission, including a module added later: a role
/// has a permission exactly when it is that permission's lowest role or above it.
/// </summary>
public sealed class PermissionMatrixTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    private static readonly Dictionary<string, TenantRole> LowestRoles = new()
    {
        [MemberPermissions.Read] = TenantRole.Viewer,
        [ProjectPermissions.Read] = TenantRole.Viewer,
        [ProjectPermissions.Write] = TenantRole.Member,
        [MemberPermissions.Invite] = TenantRole.Admin,
        [MemberPermissions.Manage] = TenantRole.Admin,
        [TenantPermissions.Settings] = TenantRole.Admin,
        [AuditPermissions.Read] = TenantRole.Admin,
        [ApiKeyPermissions.Manage] = TenantRole.Admin,
    };

    private PermissionCatalog Catalog => factory.Services.GetRequiredService<PermissionCatalog>();

    [Fact]
    public void Each_role_grants_exactly_its_permissions()
    {
        foreach (var (permission, lowest) in LowestRoles)
        {
            foreach (var role in Enum.GetValues<TenantRole>())
            {
                var expected = role <= lowest;
                Assert.True(Catalog.Grants(role, permission) == expected, $"{role} {(expected ? "should" : "should not")} have {permission}");
            }
        }
    }

    [Fact]
    public void Every_declared_permission_follows_the_role_order()
    {
        Assert.Superset(LowestRoles.Keys.ToHashSet(), Catalog.All.Select(p => p.Name).ToHashSet());
        foreach (var permission in Catalog.All)
        {
            Assert.All(Enum.GetValues<TenantRole>(), role => Assert.Equal(role <= permission.LowestRole, Catalog.Grants(role, permission.Name)));
            Assert.False(Catalog.Grants(null, permission.Name), $"no role has {permission.Name}");
        }
    }

    [Fact]
    public void Asking_about_a_permission_nobody_declared_is_a_bug_not_a_refusal() =>
        Assert.Throws<InvalidOperationException>(() => Catalog.Grants(TenantRole.Owner, "projects.raed"));
}
