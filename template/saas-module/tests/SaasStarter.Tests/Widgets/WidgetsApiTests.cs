using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Api.Idempotency;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Widgets;
#if (hasFeature)
using SaasStarter.Tests.Features;
#endif

namespace SaasStarter.Tests.Widgets;

/// <summary>/api/v1/widgets: paging, search and sort, ETags and If-Match, idempotent creation, and another workspace's ids.</summary>
#if (PlanLimit)
public abstract class WidgetsApiTests(AppFactory factory, Func<AppFactory> fresh)
#else
public abstract class WidgetsApiTests(AppFactory factory)
#endif
{
    private const string Path = "/api/v1/widgets";
    private static readonly string[] ReadWrite = [WidgetPermissions.Read, WidgetPermissions.Write];

    [ProviderFact]
    public async Task Create_read_replace_and_delete_honour_etags_and_are_audited()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var client = factory.ApiClient(await world.CreateKeyAsync(ReadWrite));

        using var created = await SendAsync(client, HttpMethod.Post, Path, new { name = "  Alpha ", description = "First" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal($"{Path}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);

        using var read = await client.GetAsync($"{Path}/{id}");
        Assert.Equal(("\"1\"", "Alpha"), (read.Headers.ETag?.Tag, (await read.JsonAsync()).GetProperty("name").GetString()));

        using var saved = await SendAsync(client, HttpMethod.Put, $"{Path}/{id}", new { name = "Beta" }, ("If-Match", "\"1\""));
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (saved.StatusCode, saved.Headers.ETag?.Tag));
        using var stale = await SendAsync(client, HttpMethod.Put, $"{Path}/{id}", new { name = "Overwrite" }, ("If-Match", "\"1\""));
        await stale.ProblemAsync(412);
        Assert.Equal("\"2\"", stale.Headers.ETag?.Tag);
        using var staleDelete = await SendAsync(client, HttpMethod.Delete, $"{Path}/{id}", null, ("If-Match", "\"1\""));
        await staleDelete.ProblemAsync(412);
        Assert.Equal("Beta", (await StoredAsync(world, id))!.Name);

        using var deleted = await SendAsync(client, HttpMethod.Delete, $"{Path}/{id}", null, ("If-Match", "\"2\""));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await StoredAsync(world, id));
        await (await client.GetAsync($"{Path}/{id}")).ProblemAsync(404);
        Assert.Equal([WidgetAudit.Created, WidgetAudit.Updated, WidgetAudit.Deleted], await ActionsAsync(world));
    }

    [ProviderFact]
    public async Task A_retried_create_with_the_same_idempotency_key_creates_one()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var client = factory.ApiClient(await world.CreateKeyAsync(ReadWrite));

        using var first = await SendAsync(client, HttpMethod.Post, Path, new { name = "Once" }, (IdempotentRequests.KeyHeader, "order-7"));
        using var again = await SendAsync(client, HttpMethod.Post, Path, new { name = "Once" }, (IdempotentRequests.KeyHeader, "order-7"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal((await first.JsonAsync()).GetProperty("id").GetGuid(), (await again.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(1, await factory.InTenantAsync(world.Tenant, db => db.Widgets.CountAsync()));
    }

    [ProviderFact]
    public async Task Another_workspaces_key_gets_404_and_changes_nothing()
    {
        var mine = await MemberWorld.FoundAsync(factory);
        var theirs = await MemberWorld.FoundAsync(factory);
        using var own = factory.ApiClient(await mine.CreateKeyAsync(ReadWrite));
        using var other = factory.ApiClient(await theirs.CreateKeyAsync(ReadWrite));
        using var created = await SendAsync(own, HttpMethod.Post, Path, new { name = "Mine alone" });
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();

        await (await other.GetAsync($"{Path}/{id}")).ProblemAsync(404);
        await (await SendAsync(other, HttpMethod.Put, $"{Path}/{id}", new { name = "Theirs now" })).ProblemAsync(404);
        await (await SendAsync(other, HttpMethod.Delete, $"{Path}/{id}", null)).ProblemAsync(404);
        var list = await (await other.GetAsync(Path)).JsonAsync();

        Assert.Equal(0, list.GetProperty("total").GetInt32());
        var stored = await StoredAsync(mine, id);
        Assert.Equal(("Mine alone", 1), (stored!.Name, stored.Version));
    }

    [ProviderFact]
    public async Task The_list_pages_searches_and_sorts()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var client = factory.ApiClient(await world.CreateKeyAsync(ReadWrite));
        foreach (var name in new[] { "Cedar", "Apple", "Birch", "Apricot" })
        {
            (await SendAsync(client, HttpMethod.Post, Path, new { name })).EnsureSuccessStatusCode();
        }

        var first = await (await client.GetAsync($"{Path}?pageSize=2")).JsonAsync();
        Assert.Equal(["Apple", "Apricot"], Names(first));
        Assert.Equal(4, first.GetProperty("total").GetInt32());
        var next = first.GetProperty("links").GetProperty("next").GetString()!;
        Assert.Equal(["Birch", "Cedar"], Names(await (await client.GetAsync(next)).JsonAsync()));
        Assert.Equal(["Cedar", "Birch", "Apricot", "Apple"], Names(await (await client.GetAsync($"{Path}?sort=-name")).JsonAsync()));
        Assert.Equal(["Apple", "Apricot"], Names(await (await client.GetAsync($"{Path}?search=ap")).JsonAsync()));
        Assert.Contains("sort", await (await client.GetAsync($"{Path}?sort=size")).ValidationErrorsAsync());
        Assert.Contains("pageSize", await (await client.GetAsync($"{Path}?pageSize=101")).ValidationErrorsAsync());
        Assert.Contains("name", await (await SendAsync(client, HttpMethod.Post, Path, new { name = "" })).ValidationErrorsAsync());
    }
#if (PlanLimit)

    [ProviderFact]
    public async Task A_create_past_the_plan_limit_is_refused_with_a_problem()
    {
        // The default plan (free, the catalog's first) allows 1 here.
        await using var limited = fresh().WithSetting($"Plans:Catalog:0:Limits:{WidgetsModule.Limit}", "1");
        var world = await MemberWorld.FoundAsync(limited);
        using var client = limited.ApiClient(await world.CreateKeyAsync(ReadWrite));

        (await SendAsync(client, HttpMethod.Post, Path, new { name = "Only" })).EnsureSuccessStatusCode();
        var refused = await (await SendAsync(client, HttpMethod.Post, Path, new { name = "One too many" })).ProblemAsync(403);

        Assert.Equal(SaasStarter.Core.ProblemTypes.PlanLimit, refused.GetProperty("type").GetString());
        Assert.Equal(1, await limited.InTenantAsync(world.Tenant, db => db.Widgets.CountAsync()));
    }
#endif
#if (hasFeature)

    [ProviderFact]
    public async Task With_the_flag_off_the_endpoints_answer_404_and_back_on_they_answer()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var client = factory.ApiClient(await world.CreateKeyAsync(ReadWrite));

        await factory.OperatorSetsAsync(world.Tenant, WidgetFeatures.Flag, false);
        await (await client.GetAsync(Path)).ProblemAsync(404);
        await (await SendAsync(client, HttpMethod.Post, Path, new { name = "Hidden" })).ProblemAsync(404);
        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.Widgets.CountAsync()));

        await factory.OperatorSetsAsync(world.Tenant, WidgetFeatures.Flag, true);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Path)).StatusCode);
    }
#endif

    private static List<string> Names(JsonElement list) => [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private Task<Widget?> StoredAsync(MemberWorld world, Guid id) =>
        factory.InTenantAsync(world.Tenant, db => db.Widgets.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id));

    private Task<List<string>> ActionsAsync(MemberWorld world) =>
        factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().Where(e => e.Action.StartsWith("widgetname."))
            .OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).Select(e => e.Action).ToListAsync());

#if (PlanLimit)
    // A plan limit is a setting read at start-up: those tests start an app of their own (fresh) with it.
    public sealed class OnSqlite(SqliteAppFactory factory) : WidgetsApiTests(factory, () => new SqliteAppFactory()), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : WidgetsApiTests(factory, () => new PostgresAppFactory()), IClassFixture<PostgresAppFactory>;
#else
    public sealed class OnSqlite(SqliteAppFactory factory) : WidgetsApiTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : WidgetsApiTests(factory), IClassFixture<PostgresAppFactory>;
#endif
}
