using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Api;
using SaasStarter.Projects;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Operator;

/// <summary>
/// The operator's page of one tenant, for plans and flags: assigning a plan (audited in the tenant's log, seen by the
/// tenant's next request), the plan's limits beside the usage, every flag's value for the tenant with why it has it,
/// and the operator's overrides. Hidden (404) from everyone else, like the rest of /admin.
/// </summary>
public abstract class OperatorFeaturesTests(AppFactory factory)
{
    private const string TokenField = "__RequestVerificationToken";

    [ProviderFact]
    public async Task Operator_assigns_a_plan_recorded_in_the_tenants_log_and_the_tenants_next_request_runs_on_it()
    {
        var world = await factory.TenantWithOwnerAsync("Upgrading");
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);
        using var api = factory.ApiClient(key);
        var before = await FeaturesAsync(api); // the key's copy of the tenant is now cached, on the free plan
        Assert.Equal("free", before.GetProperty("plan").GetProperty("id").GetString());
        Assert.False(Enabled(before, ProjectFeatures.Export));
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);

        var page = await op.GetAsync(DetailPath(world));
        Assert.Equal("Free", page.Document.QuerySelector("#tenant-plan-name")?.TextContent.Trim());
        var selected = page.Document.QuerySelector("#plan-select option[selected]");
        Assert.Equal(("free", "Free (current)"), (selected?.GetAttribute("value"), selected?.TextContent.Trim()));
        Assert.Equal(["free", "pro", "enterprise"], page.Document.QuerySelectorAll("#plan-select option").Select(o => o.GetAttribute("value")));
        Assert.Equal((false, "Plan Free"), Row(page, ProjectFeatures.Export));
        Assert.StartsWith("1 of 5", page.Document.QuerySelector("#limit-members")!.TextContent.Trim());
        Assert.Equal("0 of 25", page.Document.QuerySelector("#limit-projects")!.TextContent.Trim());

        var changed = await op.FollowAsync(await op.SubmitAsync(page, new Dictionary<string, string> { ["planId"] = "pro" }, "#plan-form"));
        Assert.Equal("Plan changed to Pro.", Notice(changed));
        Assert.Equal("Pro", changed.Document.QuerySelector("#tenant-plan-name")?.TextContent.Trim());
        Assert.Equal("Pro (current)", changed.Document.QuerySelector("#plan-select option[selected]")?.TextContent.Trim());
        Assert.Equal((true, "Plan Pro"), Row(changed, ProjectFeatures.Export));
        Assert.StartsWith("1 of 50", changed.Document.QuerySelector("#limit-members")!.TextContent.Trim());
        Assert.Equal("0 of 1,000", changed.Document.QuerySelector("#limit-projects")!.TextContent.Trim());
        Assert.Equal("600 per minute", changed.Document.QuerySelector("#limit-api-requests-per-minute")!.TextContent.Trim());

        // The same form again (a double click): no change, no second event.
        var again = await op.FollowAsync(await op.SubmitAsync(page, new Dictionary<string, string> { ["planId"] = "pro" }, "#plan-form"));
        Assert.Equal("The tenant was already on the Pro plan.", Notice(again));

        // The tenant's next request, with the key it had before: the new plan and what it includes.
        var after = await FeaturesAsync(api);
        Assert.Equal("pro", after.GetProperty("plan").GetProperty("id").GetString());
        Assert.True(Enabled(after, ProjectFeatures.Export));
        Assert.Equal("pro", (await (await api.GetAsync("/api/v1/tenant")).JsonAsync()).GetProperty("plan").GetString());

        var events = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == TenantAudit.PlanChanged).ToListAsync());
        var recorded = Assert.Single(events);
        Assert.Equal(operatorUser.Id, recorded.ActorUserId);
        using var detail = JsonDocument.Parse(recorded.Detail!);
        Assert.Equal(("free", "pro", "operator"), (detail.RootElement.GetProperty("from").GetString(),
            detail.RootElement.GetProperty("to").GetString(), detail.RootElement.GetProperty("reason").GetString()));
    }

    [ProviderFact]
    public async Task A_plan_that_does_not_exist_is_refused_with_a_message_and_changes_nothing()
    {
        var world = await factory.TenantWithOwnerAsync("Steady");
        using var op = await factory.SignedInSessionAsync((await factory.CreateOperatorAsync()).Email!);
        var page = await op.GetAsync(DetailPath(world));

        var refused = await op.SubmitAsync(page, new Dictionary<string, string> { ["planId"] = "platinum" }, "#plan-form");
        Assert.True(WebSession.IsRedirect(refused.StatusCode), $"answered {(int)refused.StatusCode}");
        var shown = await op.FollowAsync(refused);
        Assert.Equal("There is no such plan; choose one of Free, Pro, Enterprise.", shown.Document.QuerySelector("#tenant-problem")?.TextContent.Trim());
        Assert.Null(shown.Document.QuerySelector("#tenant-notice"));
        Assert.Equal("Free", shown.Document.QuerySelector("#tenant-plan-name")?.TextContent.Trim());
        var empty = await op.SubmitAsync(page, new Dictionary<string, string> { ["planId"] = "" }, "#plan-form");
        Assert.Equal("Choose a plan.", (await op.FollowAsync(empty)).Document.QuerySelector("#tenant-problem")?.TextContent.Trim());
        Assert.Null(await PlanOfAsync(world));
        Assert.Equal(0, await EventsAsync(world, TenantAudit.PlanChanged));
        Assert.Equal(HttpStatusCode.NotFound, (await op.Client.PostAsync($"/admin/tenants/{Guid.NewGuid()}?handler=Plan",
            new FormUrlEncodedContent([new(TokenField, TokenOf(page)), new("planId", "pro")]))).StatusCode);
    }

    [ProviderFact]
    public async Task Operator_overrides_force_a_flag_on_and_off_and_clear_back_to_the_owners_switch_showing_the_value_and_why()
    {
        var world = await factory.TenantWithOwnerAsync("Overridden");
        using var op = await factory.SignedInSessionAsync((await factory.CreateOperatorAsync()).Email!);

        // The beta: not on the plan, so the configured targeting decides (off for a free tenant).
        var page = await op.GetAsync(DetailPath(world));
        Assert.Equal((false, "Configured default: the rules (Microsoft.Targeting) decided"), Row(page, ProjectFeatures.Board));
        Assert.Equal((true, "Configured default"), Row(page, ApiModule.Feature));
        Assert.Equal("Not set", Cell(page, ProjectFeatures.Board, ".feature-owner"));
        Assert.Equal("Owners may not switch it", Cell(page, ApiModule.Feature, ".feature-owner"));
        Assert.Equal("None", Cell(page, ProjectFeatures.Board, ".feature-operator"));

        await SwitchAsOwnerAsync(world, ProjectFeatures.Board, true);
        page = await op.GetAsync(DetailPath(world));
        Assert.Equal((true, "Owner's switch"), Row(page, ProjectFeatures.Board));
        Assert.Equal("On", Cell(page, ProjectFeatures.Board, ".feature-owner"));

        var off = await OverrideAsync(op, world, ProjectFeatures.Board, "off");
        Assert.Equal("ProjectBoard is forced off for this tenant.", Notice(off));
        Assert.Equal((false, "Operator override"), Row(off, ProjectFeatures.Board));
        Assert.Equal("Forced off", Cell(off, ProjectFeatures.Board, ".feature-operator"));
        Assert.Equal("On", Cell(off, ProjectFeatures.Board, ".feature-owner")); // still there, outranked
        Assert.NotNull(off.Document.QuerySelector($"#override-{ProjectFeatures.Board} button[value=off][disabled]"));

        var on = await OverrideAsync(op, world, ProjectFeatures.Export, "on");
        Assert.Equal("ProjectExport is forced on for this tenant.", Notice(on));
        Assert.Equal((true, "Operator override"), Row(on, ProjectFeatures.Export));
        Assert.Equal("ProjectExport was already forced on.", Notice(await OverrideAsync(op, world, ProjectFeatures.Export, "on")));

        var cleared = await OverrideAsync(op, world, ProjectFeatures.Board, "clear");
        Assert.StartsWith("The override of ProjectBoard is cleared", Notice(cleared));
        Assert.Equal((true, "Owner's switch"), Row(cleared, ProjectFeatures.Board));
        Assert.Equal("None", Cell(cleared, ProjectFeatures.Board, ".feature-operator"));
        Assert.NotNull(cleared.Document.QuerySelector($"#override-{ProjectFeatures.Board} button[value=clear][disabled]"));
        Assert.Equal("ProjectBoard had no override.", Notice(await OverrideAsync(op, world, ProjectFeatures.Board, "clear")));

        // Three changes, three events in the tenant's log.
        Assert.Equal(3, await EventsAsync(world, TenantAudit.FeatureOverridden));

        var badValue = await OverrideAsync(op, world, ProjectFeatures.Export, "maybe");
        Assert.Equal("Choose force on, force off or clear.", badValue.Document.QuerySelector("#tenant-problem")?.TextContent.Trim());
        var badFeature = await op.FollowAsync(await op.SubmitAsync(await op.GetAsync(DetailPath(world)),
            new Dictionary<string, string> { ["feature"] = "Teleport", ["value"] = "on" }, $"#override-{ProjectFeatures.Export}"));
        Assert.Equal("There is no such feature; choose one from the table.", badFeature.Document.QuerySelector("#tenant-problem")?.TextContent.Trim());
        Assert.Equal(3, await EventsAsync(world, TenantAudit.FeatureOverridden));
        Assert.Equal((true, "Operator override"), Row(badFeature, ProjectFeatures.Export));
    }

    [ProviderFact]
    public async Task Non_operators_get_404_on_the_plan_and_override_handlers_and_change_nothing()
    {
        var world = await factory.TenantWithOwnerAsync("Guarded");
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        using var anonymous = factory.CreateSession();
        var token = TokenOf(await owner.GetAsync($"/t/{world.Tenant.Slug}"));

        foreach (var session in new[] { owner, anonymous })
        {
            var plan = await session.Client.PostAsync($"{DetailPath(world)}?handler=Plan",
                new FormUrlEncodedContent([new(TokenField, token), new("planId", "enterprise")]));
            var force = await session.Client.PostAsync($"{DetailPath(world)}?handler=Override",
                new FormUrlEncodedContent([new(TokenField, token), new("feature", ProjectFeatures.Export), new("value", "on")]));
            Assert.Equal(HttpStatusCode.NotFound, plan.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, force.StatusCode);
        }

        Assert.Null(await PlanOfAsync(world));
        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.FeatureOverrides.CountAsync()));
    }

    private static string DetailPath(MemberWorld world) => $"/admin/tenants/{world.Tenant.Id}";

    private static async Task<WebPage> OverrideAsync(WebSession op, MemberWorld world, string feature, string value)
    {
        var response = await op.SubmitAsync(await op.GetAsync(DetailPath(world)), new Dictionary<string, string> { ["value"] = value }, $"#override-{feature}");
        Assert.True(WebSession.IsRedirect(response.StatusCode), $"override answered {(int)response.StatusCode}");
        return await op.FollowAsync(response);
    }

    private Task SwitchAsOwnerAsync(MemberWorld world, string feature, bool? enabled) =>
        factory.WithScopeAsync(async sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
            var outcome = await sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(feature, enabled);
            Assert.True(outcome.Succeeded, outcome.Problem);
            return 0;
        });

    /// <summary>The flag's row: its value for the tenant and why.</summary>
    private static (bool Enabled, string Why) Row(WebPage page, string feature)
    {
        var row = FeatureRow(page, feature);
        var enabled = row.GetAttribute("data-enabled") == "true";
        Assert.Equal(enabled ? "On" : "Off", row.QuerySelector(".feature-value")!.TextContent.Trim());
        return (enabled, row.QuerySelector(".feature-why")!.TextContent.Trim());
    }

    private static string Cell(WebPage page, string feature, string cell) =>
        string.Join(' ', FeatureRow(page, feature).QuerySelector(cell)!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static IElement FeatureRow(WebPage page, string feature)
    {
        Assert.True(page.Status == HttpStatusCode.OK, $"{page.Address} answered {(int)page.Status}: {WebSession.Excerpt(page)}");
        return page.Document.QuerySelector($"#features-table tr[data-feature='{feature}']")
            ?? throw new Xunit.Sdk.XunitException($"No row of {feature} on {page.Address}");
    }

    private static string? Notice(WebPage page) => page.Document.QuerySelector("#tenant-notice")?.TextContent.Trim();

    private static async Task<JsonElement> FeaturesAsync(HttpClient api)
    {
        using var response = await api.GetAsync("/api/v1/features");
        Assert.True(response.IsSuccessStatusCode, $"GET /api/v1/features answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    private static bool Enabled(JsonElement features, string name) =>
        features.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).GetProperty("enabled").GetBoolean();

    private Task<string?> PlanOfAsync(MemberWorld world) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Tenants.Where(t => t.Id == world.Tenant.Id).Select(t => t.Plan).SingleAsync());

    private Task<int> EventsAsync(MemberWorld world, string action) =>
        factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == action));

    private static string TokenOf(WebPage page)
    {
        var token = page.Document.QuerySelector($"input[name={TokenField}]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"No anti-forgery token on {page.Address} ({(int)page.Status})");
        return token!;
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : OperatorFeaturesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : OperatorFeaturesTests(factory), IClassFixture<PostgresAppFactory>;
}
