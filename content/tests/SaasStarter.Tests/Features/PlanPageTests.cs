using System.Net;
using SaasStarter.Audit;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Api;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Features;

/// <summary>
/// The owner's "Plan &amp; features" page: the plan, its limits beside what the workspace uses, every flag with what
/// decided it, and the owner's switches, which gate the beta board for real and are audited.
/// </summary>
public abstract class PlanPageTests(AppFactory factory)
{
    [ProviderFact]
    public async Task The_plan_page_shows_the_plan_its_limits_and_what_the_workspace_uses()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        await world.Members.AddAsync(TenantRole.Member);
        Assert.True((await world.InviteAsync(AccountFlows.UniqueEmail("waiting"))).Succeeded);
        await factory.AddProjectAsync(world.Tenant, "One");
        await factory.AddProjectAsync(world.Tenant, "Two", status: ProjectStatus.Archived);
        using var owner = await factory.SignedInSessionAsync(world.Members.OwnerEmail);

        var free = await owner.GetAsync(PlanPath(world.Tenant));

        Assert.Equal(HttpStatusCode.OK, free.Status);
        Assert.Equal("Free", free.Document.QuerySelector("#plan-name")?.TextContent);
        // Seats count the owner, the member and the invitation still waiting.
        Assert.Equal("3 of 5 members", LimitText(free, "members"));
        Assert.Equal(("3", "5"), Meter(free, "members"));
        Assert.Equal("2 of 25 projects", LimitText(free, "projects"));
        Assert.Equal(("2", "25"), Meter(free, "projects"));
        Assert.Equal("120 per minute", LimitText(free, "api-requests-per-minute"));
        Assert.Equal("30 days", LimitText(free, "audit-retention-days"));
        Assert.Null(free.Document.QuerySelector("[data-limit='api-requests-per-minute'] meter"));
        Assert.Equal(("true", "Default"), Feature(free, ApiModule.Feature));
        Assert.Equal(("false", "Default"), Feature(free, ProjectFeatures.Board));
        Assert.Equal(("false", "Plan"), Feature(free, ProjectFeatures.Export));
        Assert.Contains("Beta: the projects on a board", free.Document.QuerySelector($"tr[data-feature='{ProjectFeatures.Board}']")?.TextContent);
        // Switches only where owners may switch.
        Assert.NotNull(SwitchForm(free, ProjectFeatures.Board));
        Assert.Null(SwitchForm(free, ApiModule.Feature));
        Assert.Null(SwitchForm(free, ProjectFeatures.Export));

        await factory.OnPlanAsync(world.Tenant, "enterprise");
        var enterprise = await owner.GetAsync(PlanPath(world.Tenant));

        Assert.Equal("Enterprise", enterprise.Document.QuerySelector("#plan-name")?.TextContent);
        Assert.Equal("3 members · unlimited", LimitText(enterprise, "members"));
        Assert.Null(enterprise.Document.QuerySelector("[data-limit='members'] meter"));
        Assert.Equal("3,000 per minute", LimitText(enterprise, "api-requests-per-minute"));
        Assert.Equal("2,555 days", LimitText(enterprise, "audit-retention-days"));
        // The board's configured rollout targets the enterprise plan's group: on, by the default rules.
        Assert.Equal(("true", "Default"), Feature(enterprise, ProjectFeatures.Board));
        Assert.Equal(("true", "Plan"), Feature(enterprise, ProjectFeatures.Export));
    }

    [ProviderFact]
    public async Task The_owner_switches_the_board_on_off_and_back_to_the_default_and_each_change_is_audited()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await factory.AddProjectAsync(world.Tenant, "Apollo");
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var board = $"/t/{world.Tenant.Slug}/projects/board";
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(board)).Status);

        var on = await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "on");
        Assert.Contains("ProjectBoard is switched on", on.Document.QuerySelector("#plan-notice")?.TextContent);
        Assert.Equal(("true", "Owner"), Feature(on, ProjectFeatures.Board));
        Assert.Equal("true", SwitchForm(on, ProjectFeatures.Board)!.QuerySelector("button[value=on]")?.GetAttribute("aria-pressed"));
        var shown = await owner.GetAsync(board);
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Contains("Apollo", shown.Document.QuerySelector("#project-board")?.TextContent);
        Assert.NotNull((await owner.GetAsync(ProjectsPath(world.Tenant))).Document.QuerySelector("#project-board-link"));

        var off = await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "off");
        Assert.Contains("ProjectBoard is switched off", off.Document.QuerySelector("#plan-notice")?.TextContent);
        Assert.Equal(("false", "Owner"), Feature(off, ProjectFeatures.Board));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(board)).Status);
        Assert.Null((await owner.GetAsync(ProjectsPath(world.Tenant))).Document.QuerySelector("#project-board-link"));
        Assert.Equal([(ProjectFeatures.Board, FeatureOverrideSource.Owner, false)],
            (await factory.OverridesAsync(world.Tenant)).Select(o => (o.Feature, o.Source, o.Enabled)));

        var cleared = await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "default");
        Assert.Contains("cleared", cleared.Document.QuerySelector("#plan-notice")?.TextContent);
        Assert.Equal(("false", "Default"), Feature(cleared, ProjectFeatures.Board));
        Assert.Equal("true", SwitchForm(cleared, ProjectFeatures.Board)!.QuerySelector("button[value=default]")?.GetAttribute("aria-pressed"));
        Assert.Empty(await factory.OverridesAsync(world.Tenant));

        // Asking for what is already so changes nothing and records nothing.
        var again = await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "default");
        Assert.Contains("Nothing changed", again.Document.QuerySelector("#plan-notice")?.TextContent);

        var events = await factory.EventsAsync(world.Tenant, TenantAudit.FeatureToggled);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal((ProjectFeatures.Board, world.OwnerEmail), (e.Target, e.ActorEmail)));
        Assert.Contains("\"to\":true", events[0].Detail);
        Assert.Contains("\"to\":false", events[1].Detail);
        Assert.Contains("\"to\":null", events[2].Detail);
    }

    [ProviderFact]
    public async Task A_member_without_tenant_settings_gets_403_on_the_page_and_cannot_post_a_switch()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var adminEmail = AccountFlows.UniqueEmail("admin");
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.AddAsync(TenantRole.Admin, adminEmail);
        await world.AddAsync(TenantRole.Member, memberEmail);
        using var admin = await factory.SignedInSessionAsync(adminEmail);
        using var member = await factory.SignedInSessionAsync(memberEmail);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(PlanPath(world.Tenant))).Status);
        var page = await member.GetAsync(PlanPath(world.Tenant));
        // The member's own valid anti-forgery token, so the refusal below is the permission and not a missing token.
        var token = (await member.GetAsync($"/t/{world.Tenant.Slug}/members")).Document
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var post = await member.Client.PostAsync($"{PlanPath(world.Tenant)}?handler=Switch", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["feature"] = ProjectFeatures.Board,
            ["value"] = "on",
        }));
        var home = await member.GetAsync($"/t/{world.Tenant.Slug}");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Empty(await factory.OverridesAsync(world.Tenant));
        Assert.Empty(await factory.EventsAsync(world.Tenant, TenantAudit.FeatureToggled));
        Assert.Null(home.Document.QuerySelector("#tenant-plan"));
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/t/{world.Tenant.Slug}/projects/board")).Status);
    }

    [ProviderFact]
    public async Task A_forged_switch_of_a_flag_owners_may_not_switch_is_refused_with_a_message_and_writes_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);

        var api = await ForgeAsync(owner, world.Tenant, ApiModule.Feature, "off");
        var export = await ForgeAsync(owner, world.Tenant, ProjectFeatures.Export, "on");
        var unknown = await ForgeAsync(owner, world.Tenant, "<b>NoSuchFlag</b>", "on");
        var nonsense = await ForgeAsync(owner, world.Tenant, ProjectFeatures.Board, "sometimes");

        Assert.Contains("'Api' is not a feature this workspace can switch", api.Document.QuerySelector("#plan-problem")?.TextContent);
        Assert.Contains("'ProjectExport' is not a feature this workspace can switch", export.Document.QuerySelector("#plan-problem")?.TextContent);
        Assert.Equal("There is no feature of that name.", unknown.Document.QuerySelector("#plan-problem")?.TextContent);
        Assert.DoesNotContain("NoSuchFlag", unknown.Html, StringComparison.Ordinal);
        Assert.Contains("Choose on, off or the default", nonsense.Document.QuerySelector("#plan-problem")?.TextContent);
        Assert.Empty(await factory.OverridesAsync(world.Tenant));
        Assert.Empty(await factory.EventsAsync(world.Tenant, TenantAudit.FeatureToggled));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/t/{world.Tenant.Slug}/api-keys")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/t/{world.Tenant.Slug}/projects/export")).Status);
    }

    [ProviderFact]
    public async Task The_operators_override_beats_the_owners_switch_and_the_page_says_so()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var board = $"/t/{world.Tenant.Slug}/projects/board";
        await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "on");
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(board)).Status);

        await factory.OperatorSetsAsync(world.Tenant, ProjectFeatures.Board, false);
        var page = await owner.GetAsync(PlanPath(world.Tenant));

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(board)).Status);
        Assert.Null((await owner.GetAsync(ProjectsPath(world.Tenant))).Document.QuerySelector("#project-board-link"));
        Assert.Equal(("false", "Operator"), Feature(page, ProjectFeatures.Board));
        Assert.Contains("platform operator", page.Document.QuerySelector($"tr[data-feature='{ProjectFeatures.Board}'] .feature-source")?.TextContent);
        Assert.Contains("your switch has no effect", page.Document.QuerySelector($"tr[data-feature='{ProjectFeatures.Board}'] .feature-overruled")?.TextContent);
        // The owner's own switch is still theirs to change, and the notice says it does nothing for now.
        Assert.Equal("true", SwitchForm(page, ProjectFeatures.Board)!.QuerySelector("button[value=on]")?.GetAttribute("aria-pressed"));
        var cleared = await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "default");
        Assert.Contains("your switch has no effect", cleared.Document.QuerySelector("#plan-notice")?.TextContent);
        await SwitchAsync(owner, world.Tenant, ProjectFeatures.Board, "on");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(board)).Status);

        // The operator steps back: the owner's switch decides again.
        await factory.OperatorSetsAsync(world.Tenant, ProjectFeatures.Board, null);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(board)).Status);
        Assert.Null((await owner.GetAsync(PlanPath(world.Tenant))).Document.QuerySelector(".feature-overruled"));
    }

    private static string PlanPath(CurrentTenant tenant) => $"/t/{tenant.Slug}/plan";

    private static string ProjectsPath(CurrentTenant tenant) => $"/t/{tenant.Slug}/projects";

    /// <summary>Presses one of the owner's buttons for <paramref name="feature"/> and follows the redirect back to the page.</summary>
    private static async Task<WebPage> SwitchAsync(WebSession session, CurrentTenant tenant, string feature, string value)
    {
        var page = await session.GetAsync(PlanPath(tenant));
        var posted = await session.SubmitAsync(page, new Dictionary<string, string> { ["value"] = value },
            $"form.feature-switch[data-feature='{feature}']");
        Assert.True(WebSession.IsRedirect(posted.StatusCode), $"switching {feature} {value} answered {(int)posted.StatusCode}");
        var back = await session.FollowAsync(posted);
        Assert.Equal(PlanPath(tenant), back.Address.AbsolutePath);
        return back;
    }

    /// <summary>A hand-made POST (the page offers no such form), with the owner's real anti-forgery token.</summary>
    private static async Task<WebPage> ForgeAsync(WebSession session, CurrentTenant tenant, string feature, string value)
    {
        var page = await session.GetAsync(PlanPath(tenant));
        var form = SwitchForm(page, ProjectFeatures.Board)!;
        var posted = await session.Client.PostAsync($"{PlanPath(tenant)}?handler=Switch", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["feature"] = feature,
            ["value"] = value,
        }));
        Assert.True(WebSession.IsRedirect(posted.StatusCode), $"forged switch of {feature} answered {(int)posted.StatusCode}");
        return await session.FollowAsync(posted);
    }

    private static AngleSharp.Dom.IElement? SwitchForm(WebPage page, string feature) =>
        page.Document.QuerySelector($"#features-table form.feature-switch[data-feature='{feature}']");

    private static string? LimitText(WebPage page, string limit) =>
        page.Document.QuerySelector($"[data-limit='{limit}'] .limit-value")?.TextContent.Trim();

    private static (string?, string?) Meter(WebPage page, string limit) =>
        page.Document.QuerySelector($"[data-limit='{limit}'] meter") is { } meter ? (meter.GetAttribute("value"), meter.GetAttribute("max")) : (null, null);

    private static (string?, string?) Feature(WebPage page, string feature) =>
        page.Document.QuerySelector($"#features-table tr[data-feature='{feature}']") is { } row
            ? (row.GetAttribute("data-on"), row.GetAttribute("data-source"))
            : (null, null);

    public sealed class OnSqlite(SqliteAppFactory factory) : PlanPageTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : PlanPageTests(factory), IClassFixture<PostgresAppFactory>;
}
