using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Keys;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tenants;
using SaasStarter.Tests.Api;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Tenancy;

using SaasStarter.ApiKeys;

namespace SaasStarter.Tests.Members;

/// <summary>
/// Role × page: a member of each role opens every tenant page and gets 403 exactly where their role lacks the permission
/// the page declares (<see cref="RequirePermissionAttribute"/>; <see cref="AnyMemberAttribute"/>: none). Pages are found
/// from the routes and read their own declaration, so a module's pages are covered the day it is added; a page that
/// declares neither fails. The template's own pages are also pinned below, so a wrong declaration on one of them fails
/// too. The workspace has every declared flag on, so the pages a flag gates are there (a 404 from a page a role may open fails).
/// </summary>
public abstract class PagePermissionMatrixTests(AppFactory factory, ITestOutputHelper output)
{
    /// <summary>The template's own pages: route template (after /t/{slug}) → the permission it needs, or null when any member may open it.</summary>
    private static readonly Dictionary<string, string?> Pinned = new(StringComparer.Ordinal)
    {
        [""] = null,
        ["/members"] = MemberPermissions.Read,
        ["/invitations"] = MemberPermissions.Invite,
        ["/audit"] = AuditPermissions.Read,
        ["/api-keys"] = ApiKeyPermissions.Manage,
        ["/settings"] = TenantPermissions.Settings,
        ["/plan"] = TenantPermissions.Settings,
        ["/jobs"] = TenantPermissions.Settings,
        ["/projects"] = ProjectPermissions.Read,
        ["/projects/new"] = ProjectPermissions.Read,
        ["/projects/{id:guid}"] = ProjectPermissions.Read,
        ["/projects/board"] = ProjectPermissions.Read,
        ["/projects/export"] = ProjectPermissions.Read,
        // Shown only while the tenant is suspended; for an active one it has nothing to refuse.
        ["/suspended"] = null,
    };

    /// <summary>Pages whose GET refuses a role beyond what the page declares, in its handler: the form to create a project needs projects.write.</summary>
    private static readonly Dictionary<string, string> GetNeedsMore = new(StringComparer.Ordinal)
    {
        ["/projects/new"] = ProjectPermissions.Write,
    };

    [ProviderFact]
    public async Task Each_role_opens_exactly_the_pages_its_permissions_allow()
    {
        var routes = (await TenantRoute.DiscoverAsync(factory.Services)).Where(r => r.Kind == "page").ToList();
        var undeclared = routes.Where(r => !r.Needs.Declared).Select(r => r.Template).ToList();
        Assert.True(undeclared.Count == 0, "Tenant pages that declare neither [RequirePermission] nor [AnyMember]: " + string.Join(", ", undeclared));
        var mismatched = routes.Where(r => Pinned.TryGetValue(Suffix(r), out var pinned) && pinned != r.Needs.Permission)
            .Select(r => $"{r.Template} declares {r.Needs.Permission ?? "any member"}, the table says {Pinned[Suffix(r)] ?? "any member"}").ToList();
        Assert.True(mismatched.Count == 0, string.Join("\n", mismatched));

        var permissions = factory.Services.GetRequiredService<PermissionCatalog>();
        var world = await MemberWorld.FoundAsync(factory);
        await factory.AllFeaturesOnAsync(world.Tenant);
        // A row in every collection the API creates in (a module's added later included), so the pages of an object open it.
        using (var client = factory.ApiClient(await world.CreateKeyAsync([.. factory.ApiScopes], name: "matrix")))
        {
            var made = await ApiCollections.CreateOneInEachAsync(factory.Services, client, _ => ApiCollections.CommonBody("Matrix"));
            Assert.Contains("projects", made.Keys);
        }
        var objects = await TenantObjects.ReadAsync(factory.Services, world.Tenant);
        var failures = new List<string>();
        var exercised = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var email = role == TenantRole.Owner ? world.OwnerEmail : AccountFlows.UniqueEmail(role.ToString().ToLowerInvariant());
            if (role != TenantRole.Owner) await world.AddAsync(role, email);
            using var session = await factory.SignedInSessionAsync(email);
            foreach (var route in routes)
            {
                var suffix = Suffix(route);
                var (path, onlyReal, _) = route.PathFor(world.Tenant.Slug, objects);
                var response = await session.Client.GetAsync(path);
                var needs = GetNeedsMore.TryGetValue(suffix, out var more) ? more : route.Needs.Permission;
                var allowed = needs is null || permissions.Grants(role, needs);
                // Opening a page is its 200 (the suspended page of an active workspace sends the member to its home); with a
                // made-up id (no row of the workspace fits the route's parameter) a page the role may open answers 404.
                HttpStatusCode[] expected = !allowed ? [HttpStatusCode.Forbidden]
                    : suffix == "/suspended" ? [HttpStatusCode.Redirect]
                    : onlyReal ? [HttpStatusCode.OK] : [HttpStatusCode.OK, HttpStatusCode.NotFound];
                output.WriteLine($"{role,-7} GET {suffix,-24} {(int)response.StatusCode}{(onlyReal ? "" : " (no row of the workspace fits)")}");
                exercised.Add(route.Template);
                if (!expected.Contains(response.StatusCode))
                {
                    failures.Add($"{role} GET {suffix}: {(int)response.StatusCode}, expected {string.Join(" or ", expected.Select(e => (int)e))}");
                }
            }
        }
        Assert.Equal(routes.Select(r => r.Template).ToHashSet(StringComparer.Ordinal), exercised);
        output.WriteLine($"{exercised.Count} tenant page(s) exercised by every role");
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
