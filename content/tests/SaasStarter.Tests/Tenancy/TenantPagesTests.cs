using System.Net;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Tenancy;

/// <summary>Workspaces through the UI: creating one, opening it, and the 404 every non-member gets.</summary>
public abstract class TenantPagesTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Creating_a_workspace_makes_the_user_its_owner_and_lists_it_on_the_dashboard()
    {
        using var session = await SignedInAsync("founder");
        var slug = NewSlug("founded");

        var created = await CreateWorkspaceAsync(session, "Founded Ltd", slug);

        Assert.True(WebSession.IsRedirect(created.StatusCode), $"/tenants/new answered {(int)created.StatusCode}");
        Assert.Equal($"/t/{slug}", created.Headers.Location!.OriginalString);
        var home = await session.FollowAsync(created);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal("Founded Ltd", home.Document.QuerySelector("#tenant-name")?.TextContent);
        Assert.Equal("Owner", home.Document.QuerySelector("#tenant-role")?.TextContent);
        var dashboard = await session.GetAsync("/dashboard");
        Assert.Contains(dashboard.Document.QuerySelectorAll("#workspace-list a"), a => a.GetAttribute("href") == $"/t/{slug}");
    }

    [ProviderFact]
    public async Task The_switcher_lists_the_users_workspaces_and_offers_the_last_used_one_first()
    {
        using var session = await SignedInAsync("switcher");
        var first = NewSlug("first");
        var second = NewSlug("second");
        await CreateWorkspaceAsync(session, "Alpha", first);
        await CreateWorkspaceAsync(session, "Beta", second);

        var inside = await session.GetAsync($"/t/{second}");
        var menu = inside.Document.QuerySelectorAll("#workspace-switcher .dropdown-item").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/t/{first}", menu);
        Assert.Contains($"/t/{second}", menu);
        Assert.Equal("Beta", inside.Document.QuerySelector("#workspace-switcher-toggle")?.TextContent.Trim());

        var elsewhere = await session.GetAsync("/dashboard");
        Assert.Equal($"/t/{second}", elsewhere.Document.QuerySelector("#workspace-last-used")?.GetAttribute("href"));
    }

    [ProviderFact]
    public async Task Member_of_other_tenant_gets_404_like_an_unknown_slug()
    {
        using var owner = await SignedInAsync("owner-a");
        var slug = NewSlug("private");
        await CreateWorkspaceAsync(owner, "Private", slug);
        using var stranger = await SignedInAsync("owner-b");
        await CreateWorkspaceAsync(stranger, "Elsewhere", NewSlug("elsewhere"));

        var foreign = await stranger.GetAsync($"/t/{slug}");
        var unknown = await stranger.GetAsync($"/t/{NewSlug("nobody")}");

        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.DoesNotContain("Private", foreign.Text, StringComparison.Ordinal);
    }

    [ProviderFact]
    public async Task Anonymous_user_is_sent_to_sign_in()
    {
        using var owner = await SignedInAsync("owner-anon");
        var slug = NewSlug("closed");
        await CreateWorkspaceAsync(owner, "Closed", slug);
        using var anonymous = factory.CreateSession();

        var response = await anonymous.Client.GetAsync($"/t/{slug}");

        Assert.True(WebSession.IsRedirect(response.StatusCode), $"anonymous /t/{{slug}} answered {(int)response.StatusCode}");
        Assert.Contains(AccountFlows.LoginPath, response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [ProviderTheory]
    [InlineData("admin")]
    [InlineData("Not A Slug")]
    [InlineData("taken")]
    public async Task A_reserved_malformed_or_taken_address_gets_a_form_error(string slug)
    {
        using var session = await SignedInAsync("picky");
        if (slug == "taken")
        {
            slug = NewSlug("taken");
            await CreateWorkspaceAsync(session, "First", slug);
        }

        var response = await CreateWorkspaceAsync(session, "Second", slug);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await WebSession.ReadAsync(response);
        Assert.NotEmpty(page.Document.QuerySelector("[data-valmsg-for='Input.Slug']")?.TextContent.Trim() ?? "");
    }

    [ProviderFact]
    public async Task An_empty_name_and_address_get_form_errors_not_a_server_error()
    {
        using var session = await SignedInAsync("nameless");

        var response = await CreateWorkspaceAsync(session, "", "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await WebSession.ReadAsync(response);
        Assert.NotEmpty(page.Document.QuerySelector("[data-valmsg-for='Input.Name']")?.TextContent.Trim() ?? "");
        Assert.NotEmpty(page.Document.QuerySelector("[data-valmsg-for='Input.Slug']")?.TextContent.Trim() ?? "");
    }

    private static string NewSlug(string label) => $"{label}-{Guid.NewGuid():N}"[..24];

    private async Task<WebSession> SignedInAsync(string label)
    {
        var email = AccountFlows.UniqueEmail(label);
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        return await factory.SignedInSessionAsync(email);
    }

    private static async Task<HttpResponseMessage> CreateWorkspaceAsync(WebSession session, string name, string slug)
    {
        var form = await session.GetAsync("/tenants/new");
        return await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Slug"] = slug }, "#new-tenant-form");
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : TenantPagesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : TenantPagesTests(factory), IClassFixture<PostgresAppFactory>;
}
