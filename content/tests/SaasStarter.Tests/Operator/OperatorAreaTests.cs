using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Tenancy;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Operator;

/// <summary>
/// The platform operator's area through HTTP: hidden (404) from everyone else, a searchable, paged list of every
/// tenant with its member count, and suspending a tenant, which shuts its members out (403, no writes) until it
/// is reactivated, while non-members still learn nothing (404).
/// </summary>
public abstract class OperatorAreaTests(AppFactory factory)
{
    private const string TokenField = "__RequestVerificationToken";

    [ProviderFact]
    public async Task Non_operator_gets_404_on_the_admin_area_signed_in_or_not()
    {
        var world = await TenantAsync("Hidden");
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        using var anonymous = factory.CreateSession();

        var home = await owner.GetAsync($"/t/{world.Tenant.Slug}");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Null(home.Document.QuerySelector("#nav-admin"));
        var suspend = await owner.Client.PostAsync($"/admin/tenants/{world.Tenant.Id}?handler=Suspend",
            new FormUrlEncodedContent([new(TokenField, TokenOf(home))]));

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/admin")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/admin/tenants/{world.Tenant.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, suspend.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/admin")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/admin/tenants/{world.Tenant.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/admin/audit")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/admin/audit")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/admin/jobs")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/admin/jobs")).Status);
        Assert.False(await IsSuspendedAsync(world));
    }

    [ProviderFact]
    public async Task Operator_sees_every_tenant_with_its_member_count_and_search_finds_by_name_or_address()
    {
        var marker = Marker();
        var big = await TenantAsync($"Big {marker}");
        await big.AddAsync(TenantRole.Admin);
        await big.AddAsync(TenantRole.Viewer);
        var small = await TenantAsync($"Small {marker}");
        var other = await TenantAsync("Unrelated");
        using var op = await OperatorAsync();

        var all = await op.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.NotNull(all.Document.QuerySelector("#nav-admin"));
        Assert.NotEmpty(Rows(all)); // the whole list is paged, and other tests' tenants may fill its first page

        var byName = Rows(await op.GetAsync("/admin?q=" + Uri.EscapeDataString(marker.ToUpperInvariant())));
        Assert.Equal(new[] { big.Tenant.Slug, small.Tenant.Slug }.Order(), byName.Keys.Order());
        Assert.Equal("3", byName[big.Tenant.Slug]);
        Assert.Equal("1", byName[small.Tenant.Slug]);
        var bySlug = Rows(await op.GetAsync("/admin?q=" + Uri.EscapeDataString(other.Tenant.Slug)));
        Assert.Equal([other.Tenant.Slug], bySlug.Keys);
        Assert.Equal("1", bySlug[other.Tenant.Slug]);

        var detail = await op.GetAsync($"/admin/tenants/{big.Tenant.Id}");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        Assert.Equal("3", detail.Document.QuerySelector("#tenant-members")!.TextContent.Trim());
        Assert.Equal([big.OwnerEmail], detail.Document.QuerySelectorAll("#tenant-owners li").Select(li => li.TextContent.Trim()));
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/admin/tenants/{Guid.NewGuid()}")).Status);
    }

    [ProviderFact]
    public async Task The_tenants_list_is_paged_by_25()
    {
        var marker = Marker();
        var owner = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail("many"), AccountFlows.GoodPassword);
        for (var i = 0; i < 26; i++)
        {
            var created = await factory.WithScopeAsync(sp => sp.GetRequiredService<TenantFounding>()
                .CreateAsync($"Many {marker} {i:00}", $"many-{Guid.NewGuid():N}"[..24], owner.Id));
            Assert.True(created.Succeeded);
        }
        using var op = await OperatorAsync();

        var first = await op.GetAsync("/admin?q=" + marker);
        var second = await op.GetAsync("/admin?q=" + marker + "&p=2");

        Assert.Equal(25, Rows(first).Count);
        Assert.Single(Rows(second));
        Assert.All(Rows(first).Values.Concat(Rows(second).Values), count => Assert.Equal("1", count));
        Assert.NotNull(first.Document.QuerySelector(".pagination a[href*='p=2']"));
    }

    [ProviderFact]
    public async Task A_suspended_tenants_members_get_the_suspended_page_and_cannot_write_until_it_is_reactivated()
    {
        var world = await TenantAsync("Paused");
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.AddAsync(TenantRole.Member, memberEmail);
        var outsider = await TenantAsync("Outsider");
        using var member = await factory.SignedInSessionAsync(memberEmail);
        using var stranger = await factory.SignedInSessionAsync(outsider.OwnerEmail);
        using var op = await OperatorAsync();
        var members = $"/t/{world.Tenant.Slug}/members";
        var before = await member.GetAsync(members); // also caches the tenant as active
        Assert.Equal(HttpStatusCode.OK, before.Status);
        var token = TokenOf(before);

        var suspended = await op.SubmitAsync(await op.GetAsync($"/admin/tenants/{world.Tenant.Id}"), new Dictionary<string, string>(), "#suspend-form");
        var detail = await op.FollowAsync(suspended);
        Assert.Contains("Suspended", detail.Document.QuerySelector("#tenant-status")!.TextContent);
        Assert.True(await IsSuspendedAsync(world));
        Assert.Equal("Suspended", Rows(await op.GetAsync("/admin?q=" + world.Tenant.Slug), ".tenant-status")[world.Tenant.Slug]);

        foreach (var path in new[] { $"/t/{world.Tenant.Slug}", members })
        {
            var page = await member.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, page.Status);
            Assert.Contains("This workspace is suspended", page.Text);
            Assert.Contains("Contact the platform operator", page.Text);
        }
        var leave = await member.Client.PostAsync(members + "?handler=Leave", new FormUrlEncodedContent([new(TokenField, token)]));
        var leavePage = await WebSession.ReadAsync(leave);
        Assert.Equal(HttpStatusCode.Forbidden, leave.StatusCode);
        Assert.Contains("This workspace is suspended", leavePage.Text);
        Assert.Equal([TenantRole.Owner, TenantRole.Member], await world.RolesAsync());

        // A non-member learns nothing, suspended or not.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/t/{world.Tenant.Slug}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/t/{world.Tenant.Slug}/suspended")).Status);
        var strangerPost = await stranger.Client.PostAsync(members + "?handler=Leave",
            new FormUrlEncodedContent([new(TokenField, TokenOf(await stranger.GetAsync($"/t/{outsider.Tenant.Slug}")))]));
        Assert.Equal(HttpStatusCode.NotFound, strangerPost.StatusCode);

        var reactivated = await op.SubmitAsync(await op.GetAsync($"/admin/tenants/{world.Tenant.Id}"), new Dictionary<string, string>(), "#reactivate-form");
        Assert.True(WebSession.IsRedirect(reactivated.StatusCode));
        Assert.False(await IsSuspendedAsync(world));
        var again = await member.GetAsync(members);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.DoesNotContain("This workspace is suspended", again.Text);
        var left = await member.Client.PostAsync(members + "?handler=Leave", new FormUrlEncodedContent([new(TokenField, TokenOf(again))]));
        Assert.True(WebSession.IsRedirect(left.StatusCode), $"Leave after reactivation answered {(int)left.StatusCode}");
        Assert.Equal([TenantRole.Owner], await world.RolesAsync());
    }

    /// <summary>Every route under /t/{slug}, as the route isolation suite discovers them, and every handler, GET and POST alike.</summary>
    [ProviderFact]
    public async Task Every_tenant_route_answers_the_suspended_page_to_the_owner_of_a_suspended_tenant_and_changes_nothing()
    {
        var routes = await TenantRoute.DiscoverAsync(factory.Services);
        Assert.NotEmpty(routes);
        var world = await TenantAsync("Frozen");
        await world.AddAsync(TenantRole.Member);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var token = TokenOf(await owner.GetAsync($"/t/{world.Tenant.Slug}"));
        using var op = await OperatorAsync();
        await op.SubmitAsync(await op.GetAsync($"/admin/tenants/{world.Tenant.Id}"), new Dictionary<string, string>(), "#suspend-form");
        var before = await TenantObjects.ReadAsync(factory.Services, world.Tenant);
        var failures = new List<string>();

        foreach (var route in routes)
        {
            var (path, _, _) = route.PathFor(world.Tenant.Slug, before);
            foreach (var call in route.Calls)
            {
                var url = call.Handler is null ? path : $"{path}?handler={Uri.EscapeDataString(call.Handler)}";
                using var request = new HttpRequestMessage(new HttpMethod(call.Method), url);
                if (call.Method is not ("GET" or "HEAD"))
                {
                    var fields = new List<KeyValuePair<string, string>> { new(TokenField, token) };
                    foreach (var (name, type) in call.Parameters)
                    {
                        if (type == typeof(Guid)) fields.Add(new(name, (before.IdFor(name, null) ?? Guid.NewGuid()).ToString()));
                        else if (type.IsEnum) fields.Add(new(name, Enum.GetNames(type)[0]));
                    }
                    request.Content = new FormUrlEncodedContent(fields);
                }
                var response = await owner.Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains("This workspace is suspended", StringComparison.Ordinal))
                {
                    failures.Add($"{call.Method} {url}: {(int)response.StatusCode}, expected 403 and the suspended page");
                }
            }
        }

        var after = await TenantObjects.ReadAsync(factory.Services, world.Tenant);
        Assert.Equal(before.Rows, after.Rows);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [ProviderFact]
    public async Task The_suspended_address_of_an_active_tenant_leads_to_the_workspace()
    {
        var world = await TenantAsync("Active");
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);

        var response = await owner.Client.GetAsync($"/t/{world.Tenant.Slug}/suspended");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/t/{world.Tenant.Slug}", response.Headers.Location?.OriginalString);
    }

    private static string Marker() => $"m{Guid.NewGuid():N}"[..12];

    private Task<MemberWorld> TenantAsync(string name) => factory.TenantWithOwnerAsync(name);

    private async Task<WebSession> OperatorAsync() => await factory.SignedInSessionAsync((await factory.CreateOperatorAsync()).Email!);

    private Task<bool> IsSuspendedAsync(MemberWorld world) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Tenants
            .Where(t => t.Id == world.Tenant.Id).Select(t => t.SuspendedAtUtc != null).SingleAsync());

    /// <summary>The tenants table: slug → the member count (or the text of <paramref name="cell"/>).</summary>
    private static Dictionary<string, string> Rows(WebPage page, string cell = ".tenant-members")
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"{page.Address} answered {(int)page.Status}: {WebSession.Excerpt(page)}");
        return page.Document.QuerySelectorAll("#tenants-table tr[data-tenant]")
            .ToDictionary(r => r.GetAttribute("data-tenant")!, r => r.QuerySelector(cell)!.TextContent.Trim());
    }

    private static string TokenOf(WebPage page)
    {
        var token = page.Document.QuerySelector($"input[name={TokenField}]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"No anti-forgery token on {page.Address} ({(int)page.Status})");
        return token!;
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : OperatorAreaTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : OperatorAreaTests(factory), IClassFixture<PostgresAppFactory>;
}
