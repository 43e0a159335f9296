using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Api;
using SaasStarter.Audit;
using SaasStarter.Projects;
using SaasStarter.Tenants;
using SaasStarter.Core;

namespace SaasStarter.Tests.Api;

/// <summary>
/// <c>GET /api/v1/features</c>: any valid key of a workspace reads its plan, each flag's value for it (as the plan, the
/// owner's switch, the operator's override and the configured rules make it) and its limits beside its usage.
/// </summary>
public abstract class FeaturesApiTests(AppFactory factory)
{
    private static readonly string[] Flags = [ApiModule.Feature, ProjectFeatures.Board, ProjectFeatures.Export, ProjectFeatures.WeeklySummary];

    [ProviderFact]
    public async Task A_free_workspace_reads_its_plan_flags_and_limits_with_its_usage()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var writer = await world.CreateKeyAsync([ProjectPermissions.Write, MemberPermissions.Invite]);
        using var api = factory.ApiClient(writer);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/projects", Json("""{"name":"Counted"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/invitations",
            Json($$"""{"email":"{{AccountFlows.UniqueEmail("waiting")}}","role":"Member"}"""))).StatusCode);
        await world.AddAsync(TenantRole.Viewer);
        // Any valid key may ask, whatever its scopes.
        var reader = await world.CreateKeyAsync([AuditPermissions.Read]);

        var features = await FeaturesAsync(reader);

        Assert.Equal(("free", "Free"), Plan(features));
        Assert.Equal(Flags, features.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(new Dictionary<string, bool> { [ApiModule.Feature] = true, [ProjectFeatures.Board] = false, [ProjectFeatures.Export] = false, [ProjectFeatures.WeeklySummary] = true },
            Values(features));
        var catalog = factory.Services.GetRequiredService<FeatureCatalog>();
        Assert.All(features.GetProperty("features").EnumerateArray(), f =>
            Assert.Equal(catalog.Find(f.GetProperty("name").GetString()!)!.Description, f.GetProperty("description").GetString()));
        Assert.Equal(["name", "enabled", "description"], features.GetProperty("features")[0].EnumerateObject().Select(p => p.Name));

        var limits = features.GetProperty("limits");
        // Owner and viewer, plus the invitation still waiting.
        Assert.Equal((5, 3), Usage(limits, "members"));
        Assert.Equal((25, 1), Usage(limits, "projects"));
        Assert.Equal(120, limits.GetProperty("apiRequestsPerMinute").GetProperty("limit").GetInt32());
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("apiRequestsPerMinute").GetProperty("used").ValueKind);
        Assert.Equal(30, limits.GetProperty("auditRetentionDays").GetProperty("limit").GetInt32());
    }

    [ProviderFact]
    public async Task Pro_and_enterprise_workspaces_read_what_their_plans_include_and_no_limit_is_null()
    {
        var pro = await MemberWorld.FoundAsync(factory);
        var enterprise = await MemberWorld.FoundAsync(factory);
        await AssignAsync(pro, "pro");
        await AssignAsync(enterprise, "enterprise");

        var ofPro = await FeaturesAsync(await pro.CreateKeyAsync([ProjectPermissions.Read]));
        var ofEnterprise = await FeaturesAsync(await enterprise.CreateKeyAsync([ProjectPermissions.Read]));

        Assert.Equal(("pro", "Pro"), Plan(ofPro));
        Assert.Equal(new Dictionary<string, bool> { [ApiModule.Feature] = true, [ProjectFeatures.Board] = false, [ProjectFeatures.Export] = true, [ProjectFeatures.WeeklySummary] = true },
            Values(ofPro));
        Assert.Equal((50, 1), Usage(ofPro.GetProperty("limits"), "members"));
        Assert.Equal((1000, 0), Usage(ofPro.GetProperty("limits"), "projects"));

        // The beta's configured targeting includes the enterprise plan's group.
        Assert.Equal(("enterprise", "Enterprise"), Plan(ofEnterprise));
        Assert.Equal(new Dictionary<string, bool> { [ApiModule.Feature] = true, [ProjectFeatures.Board] = true, [ProjectFeatures.Export] = true, [ProjectFeatures.WeeklySummary] = true },
            Values(ofEnterprise));
        var limits = ofEnterprise.GetProperty("limits");
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("members").GetProperty("limit").ValueKind);
        Assert.Equal(1, limits.GetProperty("members").GetProperty("used").GetInt32());
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("projects").GetProperty("limit").ValueKind);
        Assert.Equal(3000, limits.GetProperty("apiRequestsPerMinute").GetProperty("limit").GetInt32());
    }

    [ProviderFact]
    public async Task An_owners_switch_and_the_operators_override_show_on_the_next_request()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);
        Assert.False(Values(await FeaturesAsync(key))[ProjectFeatures.Board]);

        await SwitchAsOwnerAsync(world, ProjectFeatures.Board, true);
        Assert.True(Values(await FeaturesAsync(key))[ProjectFeatures.Board]);

        await OverrideAsync(world, ProjectFeatures.Board, false);
        await OverrideAsync(world, ProjectFeatures.Export, true);
        var overridden = Values(await FeaturesAsync(key));
        Assert.False(overridden[ProjectFeatures.Board]);
        Assert.True(overridden[ProjectFeatures.Export]);

        await OverrideAsync(world, ProjectFeatures.Board, null);
        await SwitchAsOwnerAsync(world, ProjectFeatures.Export, false); // not a flag owners may switch: refused below
        var cleared = Values(await FeaturesAsync(key));
        Assert.True(cleared[ProjectFeatures.Board]);
        Assert.True(cleared[ProjectFeatures.Export]);
    }

    [ProviderFact]
    public async Task The_tenant_endpoint_names_the_workspaces_real_plan()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);
        using var api = factory.ApiClient(key);

        Assert.Equal("free", (await (await api.GetAsync("/api/v1/tenant")).JsonAsync()).GetProperty("plan").GetString());
        await AssignAsync(world, "enterprise");
        Assert.Equal("enterprise", (await (await api.GetAsync("/api/v1/tenant")).JsonAsync()).GetProperty("plan").GetString());
    }

    private async Task<JsonElement> FeaturesAsync(KeyedApi.Key key)
    {
        using var api = factory.ApiClient(key);
        using var response = await api.GetAsync("/api/v1/features");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/v1/features answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    private static (string?, string?) Plan(JsonElement features) =>
        (features.GetProperty("plan").GetProperty("id").GetString(), features.GetProperty("plan").GetProperty("name").GetString());

    private static Dictionary<string, bool> Values(JsonElement features) =>
        features.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("enabled").GetBoolean());

    private static (int Limit, int Used) Usage(JsonElement limits, string name) =>
        (limits.GetProperty(name).GetProperty("limit").GetInt32(), limits.GetProperty(name).GetProperty("used").GetInt32());

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task AssignAsync(MemberWorld world, string plan) =>
        factory.WithScopeAsync(async sp =>
        {
            Assert.Equal(OutcomeKind.Done, (await sp.GetRequiredService<PlanAssignment>().AssignAsync(world.Tenant.Id, plan, "test")).Kind);
            return 0;
        });

    private Task SwitchAsOwnerAsync(MemberWorld world, string feature, bool? enabled) =>
        factory.WithScopeAsync(async sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
            var outcome = await sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(feature, enabled);
            Assert.Equal(feature == ProjectFeatures.Board, outcome.Succeeded);
            return 0;
        });

    private Task OverrideAsync(MemberWorld world, string feature, bool? enabled) =>
        factory.WithScopeAsync(async sp =>
        {
            var outcome = await sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(world.Tenant.Id, feature, enabled);
            Assert.True(outcome.Succeeded, outcome.Problem);
            return 0;
        });

    public sealed class OnSqlite(SqliteAppFactory factory) : FeaturesApiTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : FeaturesApiTests(factory), IClassFixture<PostgresAppFactory>;
}
