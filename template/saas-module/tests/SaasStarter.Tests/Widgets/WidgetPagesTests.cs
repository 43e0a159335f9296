using System.Net;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Widgets;
#if (hasFeature)
using SaasStarter.Tests.Features;
#endif

namespace SaasStarter.Tests.Widgets;

/// <summary>The pages end to end: a member creates, edits and deletes (after confirming), each audited; the list pages, searches and sorts.</summary>
#if (PlanLimit)
public abstract class WidgetPagesTests(AppFactory factory, Func<AppFactory> fresh)
#else
public abstract class WidgetPagesTests(AppFactory factory)
#endif
{
    [ProviderFact]
    public async Task A_member_creates_edits_and_deletes_after_confirming_each_audited()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("maker");
        await world.AddAsync(TenantRole.Member, email);
        using var session = await factory.SignedInSessionAsync(email);
        var list = $"/t/{world.Tenant.Slug}/widgets";

        var created = await session.SubmitAsync(await session.GetAsync($"{list}/new"),
            new Dictionary<string, string> { ["Input.Name"] = "Apollo", ["Input.Description"] = "To the moon" }, "#widget-form");
        Assert.True(WebSession.IsRedirect(created.StatusCode), $"create answered {(int)created.StatusCode}");
        var page = await session.FollowAsync(created);
        Assert.Equal("Apollo", page.Document.QuerySelector("#widget-title")?.TextContent);

        var edited = await session.SubmitAsync(page, new Dictionary<string, string> { ["Input.Name"] = "Apollo 11" }, "#widget-form");
        Assert.True(WebSession.IsRedirect(edited.StatusCode), $"edit answered {(int)edited.StatusCode}");
        var afterEdit = await session.FollowAsync(edited);
        Assert.Equal("Apollo 11", afterEdit.Document.QuerySelector("#widget-title")?.TextContent);

        var id = (await OnlyAsync(world)).Id;
        var confirm = await session.GetAsync($"{list}/{id}/delete");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.NotNull(await OnlyAsync(world)); // asking is not deleting
        var deleted = await session.SubmitAsync(confirm, new Dictionary<string, string>(), "#delete-widget-form");
        Assert.True(WebSession.IsRedirect(deleted.StatusCode), $"delete answered {(int)deleted.StatusCode}");

        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.Widgets.CountAsync()));
        var events = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().Where(e => e.Action.StartsWith("widgetname."))
            .OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).Select(e => new { e.Action, e.ActorEmail }).ToListAsync());
        Assert.Equal([WidgetAudit.Created, WidgetAudit.Updated, WidgetAudit.Deleted], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(email, e.ActorEmail));
    }

    [ProviderFact]
    public async Task A_viewer_reads_but_cannot_create_change_or_delete()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var seeded = await AddAsync(world, "Read me");
        var email = AccountFlows.UniqueEmail("looker");
        await world.AddAsync(TenantRole.Viewer, email);
        using var session = await factory.SignedInSessionAsync(email);
        var path = $"/t/{world.Tenant.Slug}/widgets/{seeded.Id}";

        var view = await session.GetAsync(path);
        Assert.Equal("Read me", view.Document.QuerySelector("#widget-title")?.TextContent);
        Assert.Null(view.Document.QuerySelector("#save-widget"));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync($"/t/{world.Tenant.Slug}/widgets/new")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync($"{path}/delete")).Status);
        var token = view.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        using var post = await session.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Name"] = "Renamed", ["Version"] = "1",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(("Read me", 1), ((await OnlyAsync(world)).Name, (await OnlyAsync(world)).Version));
    }

    [ProviderFact]
    public async Task The_list_pages_searches_and_sorts()
    {
        var world = await MemberWorld.FoundAsync(factory);
        for (var i = 1; i <= 27; i++) await AddAsync(world, $"Item {i:00}");
        await AddAsync(world, "Zebra");
        using var session = await factory.SignedInSessionAsync(world.OwnerEmail);
        var list = $"/t/{world.Tenant.Slug}/widgets";

        Assert.Equal(25, Rows(await session.GetAsync(list)).Count);
        Assert.Equal(["Item 26", "Item 27", "Zebra"], Rows(await session.GetAsync($"{list}?p=2")));
        Assert.Equal(["Zebra"], Rows(await session.GetAsync($"{list}?q=zeb")));
        Assert.Equal("Zebra", Rows(await session.GetAsync($"{list}?sort=-name"))[0]);
        Assert.Empty(Rows(await session.GetAsync($"{list}?q=nothing-like-this")));
    }

    [ProviderFact]
    public async Task Another_workspaces_id_is_404_inside_your_own()
    {
        var mine = await MemberWorld.FoundAsync(factory);
        var theirs = await MemberWorld.FoundAsync(factory);
        var secret = await AddAsync(theirs, "Their secret");
        using var session = await factory.SignedInSessionAsync(mine.OwnerEmail);

        var page = await session.GetAsync($"/t/{mine.Tenant.Slug}/widgets/{secret.Id}");
        var confirm = await session.GetAsync($"/t/{mine.Tenant.Slug}/widgets/{secret.Id}/delete");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (page.Status, confirm.Status));
        Assert.DoesNotContain("Their secret", page.Html, StringComparison.Ordinal);
        Assert.Equal("Their secret", (await OnlyAsync(theirs)).Name);
    }
#if (PlanLimit)

    [ProviderFact]
    public async Task A_create_past_the_plan_limit_shows_why_and_keeps_what_was_typed()
    {
        await using var limited = fresh().WithSetting($"Plans:Catalog:0:Limits:{WidgetsModule.Limit}", "1");
        var world = await MemberWorld.FoundAsync(limited);
        await limited.InTenantAsync(world.Tenant, async db =>
        {
            db.Widgets.Add(new Widget { Name = "Only" });
            return await db.SaveChangesAsync();
        });
        using var session = await limited.SignedInSessionAsync(world.OwnerEmail);

        var refused = await session.FollowAsync(await session.SubmitAsync(await session.GetAsync($"/t/{world.Tenant.Slug}/widgets/new"),
            new Dictionary<string, string> { ["Input.Name"] = "One too many" }, "#widget-form"));

        Assert.Contains("allows 1", refused.Text, StringComparison.Ordinal);
        Assert.Equal("One too many", refused.Document.QuerySelector("#Input_Name")?.GetAttribute("value"));
        Assert.Equal(1, await limited.InTenantAsync(world.Tenant, db => db.Widgets.CountAsync()));
    }
#endif
#if (hasFeature)

    [ProviderFact]
    public async Task With_the_flag_off_the_pages_answer_404()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var session = await factory.SignedInSessionAsync(world.OwnerEmail);
        var list = $"/t/{world.Tenant.Slug}/widgets";

        await factory.OperatorSetsAsync(world.Tenant, WidgetFeatures.Flag, false);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), ((await session.GetAsync(list)).Status, (await session.GetAsync($"{list}/new")).Status));
        await factory.OperatorSetsAsync(world.Tenant, WidgetFeatures.Flag, true);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync(list)).Status);
    }
#endif

    private static List<string> Rows(WebPage page) =>
        [.. page.Document.QuerySelectorAll("#widget-list [data-widget] a").Select(a => a.TextContent)];

    private Task<Widget> AddAsync(MemberWorld world, string name) =>
        factory.InTenantAsync(world.Tenant, async db =>
        {
            var added = new Widget { Name = name };
            db.Widgets.Add(added);
            await db.SaveChangesAsync();
            return added;
        });

    private Task<Widget> OnlyAsync(MemberWorld world) => factory.InTenantAsync(world.Tenant, db => db.Widgets.AsNoTracking().SingleAsync());

#if (PlanLimit)
    // A plan limit is a setting read at start-up: those tests start an app of their own (fresh) with it.
    public sealed class OnSqlite(SqliteAppFactory factory) : WidgetPagesTests(factory, () => new SqliteAppFactory()), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : WidgetPagesTests(factory, () => new PostgresAppFactory()), IClassFixture<PostgresAppFactory>;
#else
    public sealed class OnSqlite(SqliteAppFactory factory) : WidgetPagesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : WidgetPagesTests(factory), IClassFixture<PostgresAppFactory>;
#endif
}
