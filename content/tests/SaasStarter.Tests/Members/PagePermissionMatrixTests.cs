using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Tenancy;

namespace SaasStarter.Tests.Members;

/// <summary>
/// Role × page: a member of each role opens every tenant page and gets 403 exactly where their role lacks the
/// permission the page needs. The table below says what each page needs; a tenant page added without a row here
/// fails the test, so the matrix cannot silently fall behind the app. The workspace is on the enterprise plan, where
/// every feature flag is on, so the pages gated by a flag are there (a 404 from a page a role may open fails).
/// </summary>
public abstract class PagePermissionMatrixTests(AppFactory factory, ITestOutputHelper output)
{
    /// <summary>Route template (after /t/{slug}) → the permission it needs, or null when every member may open it.</summary>
    private static readonly Dictionary<string, string?> Needs = new(StringComparer.Ordinal)
    {
        [""] = null,
        ["/members"] = Permissions.MembersRead,
        ["/invitations"] = Permissions.MembersInvite,
        ["/audit"] = Permissions.AuditRead,
        ["/api-keys"] = Permissions.ApiKeysManage,
        ["/settings"] = Permissions.TenantSettings,
        ["/plan"] = Permissions.TenantSettings,
        ["/jobs"] = Permissions.TenantSettings,
        ["/projects"] = Permissions.ProjectsRead,
        ["/projects/new"] = Permissions.ProjectsWrite,
        ["/projects/{id:guid}"] = Permissions.ProjectsRead,
        ["/projects/board"] = Permissions.ProjectsRead,
        ["/projects/export"] = Permissions.ProjectsRead,
        // Shown only while the tenant is suspended; for an active one it has nothing to refuse.
        ["/suspended"] = null,
    };

    [ProviderFact]
    public async Task Each_role_opens_exactly_the_pages_its_permissions_allow()
    {
        var routes = (await TenantRoute.DiscoverAsync(factory.Services)).Where(r => r.Kind == "page").ToList();
        var unlisted = routes.Select(Suffix).Where(s => !Needs.ContainsKey(s)).ToList();
        Assert.True(unlisted.Count == 0, "Tenant pages with no row in the matrix: " + string.Join(", ", unlisted));

        var world = await MemberWorld.FoundAsync(factory);
        await factory.OnPlanAsync(world.Tenant, "enterprise");
        var projectId = await factory.InTenantAsync(world.Tenant, async db =>
        {
            var project = new Project { Name = "Matrix" };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            return project.Id;
        });
        var failures = new List<string>();
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var email = role == TenantRole.Owner ? world.OwnerEmail : AccountFlows.UniqueEmail(role.ToString().ToLowerInvariant());
            if (role != TenantRole.Owner) await world.AddAsync(role, email);
            using var session = await factory.SignedInSessionAsync(email);
            foreach (var route in routes)
            {
                var suffix = Suffix(route);
                var path = $"/t/{world.Tenant.Slug}{suffix.Replace("{id:guid}", projectId.ToString(), StringComparison.Ordinal)}";
                var response = await session.Client.GetAsync(path);
                var allowed = Needs[suffix] is not { } permission || Permissions.Grant(role, permission);
                // Opening a page is its 200 (the suspended page of an active workspace sends the member to its home).
                var expected = !allowed ? HttpStatusCode.Forbidden : suffix == "/suspended" ? HttpStatusCode.Redirect : HttpStatusCode.OK;
                output.WriteLine($"{role,-7} GET {suffix,-20} {(int)response.StatusCode}");
                if (response.StatusCode != expected) failures.Add($"{role} GET {suffix}: {(int)response.StatusCode}, expected {(int)expected}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Suffix(TenantRoute route)
    {
        var template = route.Template;
        var afterSlug = template.IndexOf('}', StringComparison.Ordinal) + 1;
        return template[afterSlug..];
    }

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output)
        : PagePermissionMatrixTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output)
        : PagePermissionMatrixTests(factory, output), IClassFixture<PostgresAppFactory>;
}
