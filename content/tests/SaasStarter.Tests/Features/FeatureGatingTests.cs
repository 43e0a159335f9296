using System.Net;
using SaasStarter.Features;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Api;

namespace SaasStarter.Tests.Features;

/// <summary>
/// Each gated page is not there (404, its link hidden) while its flag is off for the workspace, and works once the
/// plan or the operator turns it on; the export's CSV is checked cell by cell.
/// </summary>
public abstract class FeatureGatingTests(AppFactory factory)
{
    [ProviderFact]
    public async Task The_board_is_404_while_off_and_shows_the_projects_by_status_when_the_operator_turns_it_on()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var active = await factory.AddProjectAsync(world.Tenant, "Apollo", "To the moon");
        var archived = await factory.AddProjectAsync(world.Tenant, "Gemini", status: ProjectStatus.Archived);
        var viewerEmail = AccountFlows.UniqueEmail("viewer");
        await world.AddAsync(TenantRole.Viewer, viewerEmail);
        using var viewer = await factory.SignedInSessionAsync(viewerEmail);
        var path = $"/t/{world.Tenant.Slug}/projects/board";

        var off = await viewer.GetAsync(path);
        var listWhileOff = await viewer.GetAsync($"/t/{world.Tenant.Slug}/projects");
        await factory.OperatorSetsAsync(world.Tenant, ProjectFeatures.Board, true);
        var on = await viewer.GetAsync(path);
        var listWhileOn = await viewer.GetAsync($"/t/{world.Tenant.Slug}/projects");

        Assert.Equal(HttpStatusCode.NotFound, off.Status);
        Assert.Null(listWhileOff.Document.QuerySelector("#project-board-link"));
        Assert.Equal(HttpStatusCode.OK, on.Status);
        Assert.Equal(path, listWhileOn.Document.QuerySelector("#project-board-link")?.GetAttribute("href"));
        var activeCard = on.Document.QuerySelector($"#project-board [data-status='Active'] [data-project='{active.Id}'] a");
        var archivedCard = on.Document.QuerySelector($"#project-board [data-status='Archived'] [data-project='{archived.Id}'] a");
        Assert.Equal(("Apollo", $"/t/{world.Tenant.Slug}/projects/{active.Id}"), (activeCard?.TextContent, activeCard?.GetAttribute("href")));
        Assert.Equal(("Gemini", $"/t/{world.Tenant.Slug}/projects/{archived.Id}"), (archivedCard?.TextContent, archivedCard?.GetAttribute("href")));
        Assert.Single(on.Document.QuerySelectorAll("#project-board [data-status='Active'] [data-project]"));
    }

    [ProviderFact]
    public async Task The_export_is_404_on_the_free_plan_and_a_neutralised_csv_on_pro()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var formula = await factory.AddProjectAsync(world.Tenant, "=HYPERLINK(\"http://evil.example\",\"click\")", "line one\nline two, with a comma");
        var plus = await factory.AddProjectAsync(world.Tenant, "+1 555 0100", "-SUM(A1:A2)", ProjectStatus.Archived);
        var at = await factory.AddProjectAsync(world.Tenant, "@mention", "say \"hi\"");
        var plain = await factory.AddProjectAsync(world.Tenant, "Plain, simple", "a=b stays");
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var path = $"/t/{world.Tenant.Slug}/projects/export";

        var onFree = await owner.Client.GetAsync(path);
        var listOnFree = await owner.GetAsync($"/t/{world.Tenant.Slug}/projects");
        await factory.OnPlanAsync(world.Tenant, "pro");
        var onPro = await owner.Client.GetAsync(path);
        var listOnPro = await owner.GetAsync($"/t/{world.Tenant.Slug}/projects");

        Assert.Equal(HttpStatusCode.NotFound, onFree.StatusCode);
        Assert.Null(listOnFree.Document.QuerySelector("#project-export-link"));
        Assert.Equal(path, listOnPro.Document.QuerySelector("#project-export-link")?.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, onPro.StatusCode);
        Assert.Equal("text/csv", onPro.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", onPro.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches($"^{world.Tenant.Slug}-projects-\\d{{4}}-\\d{{2}}-\\d{{2}}\\.csv$", onPro.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        var bytes = await onPro.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        string Times(Project p) => $"{p.CreatedAtUtc:yyyy-MM-dd'T'HH:mm:ss'Z'},{p.UpdatedAtUtc:yyyy-MM-dd'T'HH:mm:ss'Z'}";
        var rows = new (Project Project, string Line)[]
        {
            (formula, $"{formula.Id},\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",\"line one\nline two, with a comma\",Active,{Times(formula)}\r\n"),
            (plus, $"{plus.Id},'+1 555 0100,'-SUM(A1:A2),Archived,{Times(plus)}\r\n"),
            (at, $"{at.Id},'@mention,\"say \"\"hi\"\"\",Active,{Times(at)}\r\n"),
            (plain, $"{plain.Id},\"Plain, simple\",a=b stays,Active,{Times(plain)}\r\n"),
        };
        // In id order, which is creation order (version 7 ids) but not guaranteed within one millisecond.
        Assert.Equal("id,name,description,status,created,updated\r\n" + string.Concat(rows.OrderBy(r => r.Project.Id).Select(r => r.Line)), csv);
    }

    [ProviderFact]
    public async Task The_export_answers_every_reader_and_nobody_outside_the_workspace()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var other = await MemberWorld.FoundAsync(factory);
        await factory.OnPlanAsync(world.Tenant, "pro");
        await factory.AddProjectAsync(world.Tenant, "Secret plan");
        var viewerEmail = AccountFlows.UniqueEmail("viewer");
        await world.AddAsync(TenantRole.Viewer, viewerEmail);
        using var viewer = await factory.SignedInSessionAsync(viewerEmail);
        using var stranger = await factory.SignedInSessionAsync(other.OwnerEmail);

        var read = await viewer.Client.GetAsync($"/t/{world.Tenant.Slug}/projects/export");
        var probed = await stranger.Client.GetAsync($"/t/{world.Tenant.Slug}/projects/export");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("Secret plan", await read.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, probed.StatusCode);
        Assert.DoesNotContain("Secret plan", await probed.Content.ReadAsStringAsync());
    }

    [ProviderFact]
    public async Task The_api_keys_page_and_its_link_go_when_the_operator_switches_the_api_off()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var path = $"/t/{world.Tenant.Slug}/api-keys";
        var home = $"/t/{world.Tenant.Slug}";

        var before = await owner.GetAsync(path);
        var homeBefore = await owner.GetAsync(home);
        await factory.OperatorSetsAsync(world.Tenant, ApiModule.Feature, false);
        var off = await owner.GetAsync(path);
        var homeOff = await owner.GetAsync(home);
        await factory.OperatorSetsAsync(world.Tenant, ApiModule.Feature, null);
        var back = await owner.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(path, homeBefore.Document.QuerySelector("#tenant-api-keys")?.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.NotFound, off.Status);
        Assert.Equal(HttpStatusCode.OK, homeOff.Status);
        Assert.Null(homeOff.Document.QuerySelector("#tenant-api-keys"));
        Assert.Equal(HttpStatusCode.OK, back.Status);
    }

    [ProviderFact]
    public async Task A_gated_page_whose_flag_is_off_is_404_for_every_role_even_one_without_its_permission()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.AddAsync(TenantRole.Member, memberEmail);
        using var member = await factory.SignedInSessionAsync(memberEmail);
        var path = $"/t/{world.Tenant.Slug}/api-keys";

        var on = await member.GetAsync(path);
        await factory.OperatorSetsAsync(world.Tenant, ApiModule.Feature, false);
        var off = await member.GetAsync(path);

        // The member lacks apikeys.manage: refused while the page is there, and simply not found while it is not.
        Assert.Equal(HttpStatusCode.Forbidden, on.Status);
        Assert.Equal(HttpStatusCode.NotFound, off.Status);
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : FeatureGatingTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : FeatureGatingTests(factory), IClassFixture<PostgresAppFactory>;
}
