using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Keys;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Api;
using SaasStarter.Tenants;
using SaasStarter.Audit;
using SaasStarter.Members.Invitations;

namespace SaasStarter.Tests.Api;

/// <summary>
/// The Api flag gates /api/v1: with it forced off for a workspace, every endpoint its keys could call (read from the
/// endpoint data source, so one added later is covered) answers the 404 problem an unknown address gets, shows none of
/// its data and changes nothing; back on, they answer again. Other workspaces are untouched.
/// </summary>
public abstract class ApiFeatureGateTests
{
    private readonly AppFactory factory;
    private readonly ITestOutputHelper output;

    protected ApiFeatureGateTests(AppFactory factory, ITestOutputHelper output)
    {
        // Some fifty requests from one key: room, so a 429 never stands in for the answer under test.
        this.factory = factory.WithSetting("Api:RateLimits:PerKey:Burst", "10000").WithSetting("Api:RateLimits:PerTenant:Burst", "10000");
        this.output = output;
    }

    private sealed record Endpoint(string Method, string Template);

    // One body every write endpoint accepts (extra fields are ignored), so an answer is never about the body.
    private const string Body = """{"name":"Gate probe","description":null,"status":"active","email":"gate-probe@example.com","role":"Viewer"}""";

    [ProviderFact]
    public void Every_key_protected_endpoint_carries_the_api_gate()
    {
        var endpoints = KeyProtected().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.Contains("features", StringComparison.Ordinal));
        Assert.All(endpoints, e => Assert.Contains(new RequiredFeature(ApiModule.Feature), e.Metadata.GetOrderedMetadata<RequiredFeature>()));
    }

    [ProviderFact]
    public async Task With_the_api_forced_off_every_endpoint_answers_the_unknown_address_404_and_back_on_they_answer()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count >= 10, $"only {endpoints.Count} key-protected endpoints found");
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        var projectId = await factory.InTenantAsync(a.Tenant, async db =>
        {
            var project = new Project { Name = secret };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            return project.Id;
        });
        var key = await a.CreateKeyAsync([.. factory.ApiScopes]);
        var otherKey = await b.CreateKeyAsync([.. factory.ApiScopes]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/api/v1/projects", key.Secret)).StatusCode); // caches the key, Api on

        await OverrideApiAsync(a, false);
        var before = await RowsOfAsync(a);
        var unknown = await ProblemShapeAsync(await SendAsync("GET", "/api/v1/no-such-thing", key.Secret));
        var failures = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var path = endpoint.Template.Replace("{id}", projectId.ToString(), StringComparison.Ordinal);
            var what = $"{endpoint.Method} {endpoint.Template}";
            using var response = await SendAsync(endpoint.Method, path, key.Secret);
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{what} (Api off): {(int)response.StatusCode} {body}");
            if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{what}: {(int)response.StatusCode}, expected 404");
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{what}: not a problem body");
            else
            {
                var shape = await ProblemShapeAsync(response);
                if (shape.Fields != unknown.Fields) failures.Add($"{what}: the problem has {shape.Fields}, an unknown address's has {unknown.Fields}");
                if (shape.Title != unknown.Title || shape.Type != unknown.Type) failures.Add($"{what}: '{shape.Title}' ({shape.Type}), unlike an unknown address's");
                if (shape.Detail != $"No API endpoint answers {endpoint.Method} {path}.") failures.Add($"{what}: detail '{shape.Detail}'");
            }
            if (body.Contains(secret, StringComparison.Ordinal) || body.Contains(a.Tenant.Slug, StringComparison.Ordinal)) failures.Add($"{what}: shows the workspace's data");

            // Another workspace's key is not affected: never the gate's 404.
            using var other = await SendAsync(endpoint.Method, endpoint.Template.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal), otherKey.Secret);
            if (other.StatusCode == HttpStatusCode.NotFound && (await ProblemShapeAsync(other)).Detail!.StartsWith("No API endpoint", StringComparison.Ordinal))
            {
                failures.Add($"{what}: another workspace's key got the gate's 404");
            }
        }
        // The key is checked first: a bad key is still told so (401), not 404.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("GET", "/api/v1/projects", key.Secret + "x")).StatusCode);
        Assert.Equal(before, await RowsOfAsync(a));
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        await OverrideApiAsync(a, null);
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.Template.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            using var response = await SendAsync(endpoint.Method, path, key.Secret);
            output.WriteLine($"{endpoint.Method} {endpoint.Template} (Api back on): {(int)response.StatusCode}");
            // An endpoint with an id answers its own 404 for a made-up one; none answers the gate's.
            var hidden = response.StatusCode == HttpStatusCode.NotFound
                && (await ProblemShapeAsync(response)).Detail!.StartsWith("No API endpoint", StringComparison.Ordinal);
            if (hidden || (int)response.StatusCode >= 500) failures.Add($"{endpoint.Method} {endpoint.Template} back on: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        using var read = await SendAsync("GET", $"/api/v1/projects/{projectId}", key.Secret);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains(secret, await read.Content.ReadAsStringAsync());
    }

    [ProviderFact]
    public async Task The_api_gate_follows_the_operators_override_on_the_next_request()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/api/v1/tenant", key.Secret)).StatusCode);
        await OverrideApiAsync(world, false);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("GET", "/api/v1/tenant", key.Secret)).StatusCode);
        await OverrideApiAsync(world, true);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/api/v1/tenant", key.Secret)).StatusCode);
        await OverrideApiAsync(world, null);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/api/v1/tenant", key.Secret)).StatusCode);
    }

    private IEnumerable<RouteEndpoint> KeyProtected() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/v1", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ApiKeyEndpoints.Policy));

    /// <summary>The key-protected /api/v1 endpoints, as <see cref="ApiAuthMatrixTests"/> finds them.</summary>
    private List<Endpoint> Endpoints() =>
        [.. KeyProtected()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Endpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Select(e => e with { Template = System.Text.RegularExpressions.Regex.Replace(e.Template, @"\{(\w+)(:[^}]*)?\}", "{$1}") })
            .OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string key)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent(Body, Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    private sealed record ProblemShape(string Fields, string? Type, string? Title, string? Detail);

    private static async Task<ProblemShape> ProblemShapeAsync(HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(404);
        return new ProblemShape(string.Join(",", problem.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)),
            Text(problem, "type"), Text(problem, "title"), Text(problem, "detail"));

        static string? Text(JsonElement problem, string name) => problem.TryGetProperty(name, out var value) ? value.GetString() : null;
    }

    private Task OverrideApiAsync(MemberWorld world, bool? enabled) =>
        factory.WithScopeAsync(async sp =>
        {
            var outcome = await sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(world.Tenant.Id, ApiModule.Feature, enabled);
            Assert.True(outcome.Succeeded, outcome.Problem);
            return 0;
        });

    private Task<string> RowsOfAsync(MemberWorld world) =>
        factory.InTenantAsync(world.Tenant, async db => string.Join("\n",
            (await db.Projects.AsNoTracking().OrderBy(p => p.Id).Select(p => $"{p.Id} {p.Name} {p.Version} {p.Status}").ToListAsync())
            .Concat(await db.Memberships.AsNoTracking().OrderBy(m => m.Id).Select(m => $"{m.Id} {m.Role}").ToListAsync())
            .Concat(await db.Invitations.AsNoTracking().OrderBy(i => i.Id).Select(i => $"{i.Id} {i.Email}").ToListAsync())
            .Concat(await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => $"{e.Id} {e.Action}").ToListAsync())));

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output) : ApiFeatureGateTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output) : ApiFeatureGateTests(factory, output), IClassFixture<PostgresAppFactory>;
}
