using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// Host mode (<c>Tenancy:Mode</c> = Host): tenant acme at acme.example.test, with the same membership, 404 and
/// old-address rules as /t/{slug}; a tenant host never serves another tenant.
/// </summary>
public abstract class TenantHostTests
{
    private const string BaseDomain = "example.test";
    private static readonly Uri Bare = new($"http://{BaseDomain}");

    private readonly AppFactory factory;

    protected TenantHostTests(AppFactory factory)
    {
        // The fixture belongs to this class alone, so every test sets the same two settings before its first request.
        this.factory = factory.WithSetting("Tenancy:Mode", "Host").WithSetting("Tenancy:BaseDomain", BaseDomain);
    }

    private static string HostOf(string slug) => $"http://{slug}.{BaseDomain}";

    [ProviderFact]
    public async Task A_member_on_the_tenant_host_gets_the_tenant_home_and_members_page()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await SignedInAsync(world.OwnerEmail, new Uri(HostOf(world.Tenant.Slug)));

        var home = await owner.GetAsync("/");
        var members = await owner.GetAsync("/members");

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal("Team", home.Document.QuerySelector("#tenant-name")?.TextContent);
        Assert.Contains($"{world.Tenant.Slug}.{BaseDomain}", home.Text);
        Assert.DoesNotContain($"/t/{world.Tenant.Slug} ", home.Text);
        Assert.Equal(HttpStatusCode.OK, members.Status);
        Assert.Contains(members.Document.QuerySelectorAll("#members-table tr[data-member]"),
            row => row.GetAttribute("data-member") == world.OwnerEmail);
    }

    [ProviderFact]
    public async Task One_sign_in_on_the_base_domain_serves_every_tenant_host()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = CreateSession(Bare);

        var signedIn = await AccountFlows.SignInAsync(owner, world.OwnerEmail, AccountFlows.GoodPassword);
        var members = await owner.GetAsync($"{HostOf(world.Tenant.Slug)}/members");

        var authCookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".SaasStarter.Auth=", StringComparison.Ordinal));
        Assert.Contains($"domain={BaseDomain}", authCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, members.Status);
    }

    [ProviderFact]
    public async Task A_non_member_gets_404_on_a_tenant_host_and_on_an_unknown_one()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var strangerEmail = AccountFlows.UniqueEmail("stranger");
        await factory.CreateConfirmedUserAsync(strangerEmail, AccountFlows.GoodPassword);
        using var stranger = await SignedInAsync(strangerEmail, Bare);

        var home = await stranger.Client.GetAsync($"{HostOf(world.Tenant.Slug)}/");
        var members = await stranger.Client.GetAsync($"{HostOf(world.Tenant.Slug)}/members");
        var unknown = await stranger.Client.GetAsync($"{HostOf($"nobody-{Guid.NewGuid():N}"[..20])}/members");

        Assert.Equal(HttpStatusCode.NotFound, home.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, members.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [ProviderFact]
    public async Task Another_tenants_path_on_a_tenant_host_is_404_even_for_its_member()
    {
        var acme = await MemberWorld.FoundAsync(factory);
        var other = await MemberWorld.FoundAsync(factory);
        await factory.InTenantAsync(acme.Tenant, db =>
        {
            db.Memberships.Add(new Membership { UserId = other.OwnerId, Role = TenantRole.Member });
            return db.SaveChangesAsync();
        });
        using var both = await SignedInAsync(other.OwnerEmail, Bare);

        var crossed = await both.Client.GetAsync($"{HostOf(acme.Tenant.Slug)}/t/{other.Tenant.Slug}/members");
        var crossedPost = await both.Client.PostAsync($"{HostOf(acme.Tenant.Slug)}/t/{other.Tenant.Slug}/settings?handler=Name",
            new FormUrlEncodedContent([new("Name", "Taken over")]));
        var ownHost = await both.Client.GetAsync($"{HostOf(other.Tenant.Slug)}/members");
        var ownPathOnAcme = await both.Client.GetAsync($"{HostOf(acme.Tenant.Slug)}/t/{acme.Tenant.Slug}/members");
        var pathOnBareDomain = await both.Client.GetAsync($"{Bare}t/{other.Tenant.Slug}/members");

        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, crossedPost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownHost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownPathOnAcme.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pathOnBareDomain.StatusCode);
    }

    [ProviderFact]
    public async Task Sign_in_health_and_static_files_pass_unchanged_on_a_tenant_host_and_sign_in_returns_to_the_page_asked_for()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var anonymous = CreateSession(new Uri(HostOf(world.Tenant.Slug)));

        var login = await anonymous.GetAsync(AccountFlows.LoginPath);
        var health = await anonymous.Client.GetAsync("/health/live");
        var css = await anonymous.Client.GetAsync("/css/site.css");
        var members = await anonymous.Client.GetAsync("/members");

        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.NotNull(login.Document.QuerySelector("input[name='Input.Email']"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.True(WebSession.IsRedirect(members.StatusCode), $"GET /members answered {(int)members.StatusCode}");
        var toLogin = new Uri(members.RequestMessage!.RequestUri!, members.Headers.Location!);
        Assert.Equal(AccountFlows.LoginPath, toLogin.AbsolutePath);
        Assert.Equal("ReturnUrl=%2Fmembers", toLogin.Query.TrimStart('?'));

        var signedIn = await anonymous.SubmitAsync(await anonymous.GetAsync(toLogin.ToString()), new Dictionary<string, string>
        {
            ["Input.Email"] = world.OwnerEmail,
            ["Input.Password"] = AccountFlows.GoodPassword,
        });
        var back = await anonymous.FollowAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal(new Uri($"{HostOf(world.Tenant.Slug)}/members"), back.Address);
    }

    [ProviderFact]
    public async Task A_reserved_subdomain_and_the_bare_domain_are_not_tenant_hosts()
    {
        using var anonymous = CreateSession(Bare);

        var www = await anonymous.GetAsync("http://www.example.test/");
        var bare = await anonymous.GetAsync("/");
        var tenantHome = await anonymous.Client.GetAsync($"{HostOf("some-team")}/");

        // The landing page, where a tenant host's home would send an anonymous visitor to sign in.
        Assert.Equal(HttpStatusCode.OK, www.Status);
        Assert.NotNull(www.Document.QuerySelector("#features-heading"));
        Assert.Equal(HttpStatusCode.OK, bare.Status);
        Assert.NotNull(bare.Document.QuerySelector("#features-heading"));
        Assert.True(WebSession.IsRedirect(tenantHome.StatusCode), $"GET some-team's / answered {(int)tenantHome.StatusCode}");
    }

    [ProviderFact]
    public async Task A_changed_address_moves_members_to_the_new_host_and_old_links_follow()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var old = world.Tenant.Slug;
        var fresh = $"moved-{Guid.NewGuid():N}"[..24];
        using var owner = await SignedInAsync(world.OwnerEmail, new Uri(HostOf(old)));

        var moved = await owner.SubmitAsync(await owner.GetAsync("/settings"), new Dictionary<string, string> { ["NewSlug"] = fresh }, "#address-form");
        var settings = await owner.FollowAsync(moved);
        var oldLink = await owner.Client.GetAsync($"{HostOf(old)}/members?p=1");

        Assert.Equal($"{HostOf(fresh)}/settings", moved.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, settings.Status);
        Assert.NotNull(settings.Document.QuerySelector("#settings-notice"));
        Assert.Equal(HttpStatusCode.Redirect, oldLink.StatusCode);
        Assert.Equal($"{HostOf(fresh)}/members?p=1", oldLink.Headers.Location?.OriginalString);

        var strangerEmail = AccountFlows.UniqueEmail("stranger");
        await factory.CreateConfirmedUserAsync(strangerEmail, AccountFlows.GoodPassword);
        using var stranger = await SignedInAsync(strangerEmail, Bare);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"{HostOf(old)}/members")).StatusCode);
    }

    [ProviderFact]
    public async Task Workspace_links_and_a_new_workspace_lead_to_their_hosts()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await SignedInAsync(world.OwnerEmail, Bare);

        var dashboard = await owner.GetAsync("/dashboard");
        var onTenantHost = await owner.GetAsync($"{HostOf(world.Tenant.Slug)}/tenants/new");
        var slug = $"new-{Guid.NewGuid():N}"[..20];
        var created = await owner.SubmitAsync(onTenantHost, new Dictionary<string, string> { ["Input.Name"] = "New one", ["Input.Slug"] = slug }, "#new-tenant-form");

        Assert.Equal($"{HostOf(world.Tenant.Slug)}/", dashboard.Document.QuerySelector("#workspace-list a")?.GetAttribute("href"));
        Assert.Contains(onTenantHost.Document.QuerySelectorAll("#workspace-switcher a.dropdown-item"),
            a => a.GetAttribute("href") == $"{HostOf(world.Tenant.Slug)}/" && a.TextContent.Contains($"{world.Tenant.Slug}.{BaseDomain}"));
        // The address field reads as the host it makes: [slug].example.test, not /t/[slug].
        Assert.Equal($".{BaseDomain}", onTenantHost.Document.QuerySelector("#new-tenant-form .input-group")?.TextContent.Trim());
        Assert.Equal($"{HostOf(slug)}/", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await owner.FollowAsync(created)).Status);
    }

    [ProviderFact]
    public async Task A_suspended_tenants_host_answers_the_suspended_page_to_its_members()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await SignedInAsync(world.OwnerEmail, new Uri(HostOf(world.Tenant.Slug)));
        var token = (await owner.GetAsync("/members")).Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        await factory.WithScopeAsync(async sp =>
        {
            using (sp.GetRequiredService<PlatformBypass>().Begin("test: suspend a tenant"))
            {
                await sp.GetRequiredService<AppDbContext>().Tenants.Where(t => t.Id == world.Tenant.Id)
                    .ExecuteUpdateAsync(t => t.SetProperty(x => x.SuspendedAtUtc, DateTime.UtcNow));
            }
            sp.GetRequiredService<TenantDirectory>().Forget(world.Tenant.Slug);
            return 0;
        });

        var members = await owner.GetAsync("/members");
        var leave = await owner.Client.PostAsync("/members?handler=Leave", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Forbidden, members.Status);
        Assert.Contains("This workspace is suspended", members.Text);
        Assert.Equal(HttpStatusCode.Forbidden, leave.StatusCode);
        Assert.Equal([TenantRole.Owner], await world.RolesAsync());
    }

    [ProviderFact]
    public void Tenant_host_paths_are_the_first_segments_of_the_tenant_routes()
    {
        var segments = TenantHosts.FirstSegmentsOfTenantRoutes(factory.Services.GetRequiredService<EndpointDataSource>().Endpoints);

        Assert.Equal(new[] { "", "api-keys", "audit", "invitations", "jobs", "members", "plan", "projects", "settings", "suspended" }, segments.Order(StringComparer.Ordinal));
    }

    private WebSession CreateSession(Uri baseAddress) => factory.CreateSession(baseAddress);

    private async Task<WebSession> SignedInAsync(string email, Uri host)
    {
        var session = CreateSession(host);
        var signedIn = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.True(WebSession.IsRedirect(signedIn.StatusCode), $"sign-in of {email} on {host} answered {(int)signedIn.StatusCode}");
        return session;
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : TenantHostTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : TenantHostTests(factory), IClassFixture<PostgresAppFactory>;
}
