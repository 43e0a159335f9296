using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Keys;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Tenancy;
using SaasStarter.Core;
using SaasStarter.Members.Invitations;

using SaasStarter.ApiKeys;

namespace SaasStarter.Tests.Api;

/// <summary>
/// Every /api/v1 endpoint, read from the endpoint data source (so one added later is covered without editing this),
/// against every way a key can be wrong: none, malformed, unknown, revoked, expired, lacking the endpoint's scope,
/// another tenant's, a suspended tenant's. Each must answer its status with a problem body and never tenant A's data.
/// </summary>
public abstract class ApiAuthMatrixTests
{
    private readonly AppFactory factory;
    private readonly ITestOutputHelper output;

    protected ApiAuthMatrixTests(AppFactory factory, ITestOutputHelper output)
    {
        // The fixture is this class's own: room for the ~100 requests one key makes here, and for the ~60 wrong keys sent
        // from the test server's one address (past the refused-key bucket they would get 429: FailedKeyLimitTests).
        this.factory = factory.WithSetting("Api:RateLimits:PerKey:Burst", "10000").WithSetting("Api:RateLimits:PerTenant:Burst", "10000")
            .WithSetting("Api:RateLimits:FailedKeys:Burst", "10000");
        this.output = output;
    }

    private sealed record Endpoint(string Method, string Template, string? Scope);

    /// <summary>The expected status of a key used for its own workspace: whatever success the endpoint answers.</summary>
    private const int OwnAnswer = 0;

    // One body every write endpoint accepts (extra fields are ignored), so a refusal is never about the body.
    private const string Body = """{"name":"Matrix probe","description":null,"status":"active","email":"probe@example.com","role":"Viewer"}""";

    [ProviderFact]
    public async Task Every_api_endpoint_refuses_every_wrong_key_with_a_problem_and_no_data()
    {
        var endpoints = Endpoints();
        Assert.Contains(endpoints, e => e.Template.StartsWith("/api/v1/projects", StringComparison.Ordinal));
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        var suspended = await MemberWorld.FoundAsync(factory);
        var allScopes = factory.ApiScopes.ToArray();
        var (ids, secret) = await SeedAsync(a, allScopes);
        var objects = await TenantObjects.ReadAsync(factory.Services, a.Tenant);

        var revoked = await a.CreateKeyAsync(allScopes, name: "revoked");
        await RevokeAsync(a, revoked);
        var expired = await a.CreateKeyAsync(allScopes, name: "expired");
        await factory.InTenantAsync(a.Tenant, db => db.ApiKeys.Where(k => k.PublicId == expired.PublicId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));
        var (unknown, _, _) = ApiKeySecret.New();
        var otherTenant = await b.CreateKeyAsync(allScopes, name: "other tenant");
        var suspendedKey = await suspended.CreateKeyAsync(allScopes, name: "suspended");
        await factory.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AppDbContext>().Tenants.Where(t => t.Id == suspended.Tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SuspendedAtUtc, DateTime.UtcNow));
            sp.GetRequiredService<TenantDirectory>().Forget(suspended.Tenant.Slug);
            return 0;
        });
        var before = await RowsOfAsync(a);
        var failures = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var path = endpoint.Template.Replace("{id}", IdFor(endpoint.Template, ids, objects).ToString(), StringComparison.Ordinal);
            var cases = new List<(string Name, string? Key, int Status, string? Type)>
            {
                ("no key", null, 401, null),
                ("malformed key", "sk_live_" + new string('x', 20), 401, null),
                ("unknown key", unknown, 401, null),
                ("revoked key", revoked.Secret, 401, null),
                ("expired key", expired.Secret, 401, null),
                ("suspended tenant's key", suspendedKey.Secret, 403, ProblemTypes.TenantSuspended),
            };
            if (endpoint.Scope is { } scope)
            {
                var others = allScopes.Where(s => s != scope).ToArray();
                var narrow = await a.CreateKeyAsync(others, name: "without " + scope);
                cases.Add(("key without " + scope, narrow.Secret, 403, ProblemTypes.MissingScope));
            }
            // Another tenant's key may use the endpoint, but only for its own tenant: A's object is 404, and the rest answer
            // (any 2xx: its own lists, its own creates) with none of A's data.
            cases.Add(("other tenant's key", otherTenant.Secret, endpoint.Template.Contains("{id}", StringComparison.Ordinal) ? 404 : OwnAnswer, null));

            foreach (var (name, key, status, type) in cases)
            {
                using var response = await SendAsync(endpoint.Method, path, key);
                var body = await response.Content.ReadAsStringAsync();
                var what = $"{endpoint.Method} {endpoint.Template} with {name}";
                output.WriteLine($"{what}: {(int)response.StatusCode}");
                if (status == OwnAnswer ? !response.IsSuccessStatusCode : (int)response.StatusCode != status)
                {
                    failures.Add($"{what}: {(int)response.StatusCode}, expected {(status == OwnAnswer ? "a 2xx" : status)}");
                }
                if ((int)response.StatusCode >= 500) failures.Add($"{what}: {(int)response.StatusCode}");
                if ((int)response.StatusCode >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{what}: not a problem body");
                    else if (type is not null && JsonDocument.Parse(body).RootElement.GetProperty("type").GetString() != type) failures.Add($"{what}: problem type is not {type}");
                }
                if (status == 401 && !response.Headers.WwwAuthenticate.Any()) failures.Add($"{what}: no WWW-Authenticate");
                // (The id in the address may be echoed back: the caller sent it. A's names and emails may not appear.)
                if (body.Contains(secret, StringComparison.Ordinal))
                {
                    failures.Add($"{what}: the body shows tenant A's data");
                }
            }
        }

        Assert.Equal(before, await RowsOfAsync(a));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The key-protected /api/v1 endpoints with the scope each requires (from its metadata).</summary>
    private List<Endpoint> Endpoints() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/v1", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ApiKeyEndpoints.Policy))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m =>
                new Endpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<RequiredScope>()?.Scope)))
            .Select(e => e with { Template = System.Text.RegularExpressions.Regex.Replace(e.Template, @"\{(\w+)(:[^}]*)?\}", "{$1}") })
            .OrderBy(e => e.Template, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? key)
    {
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent(Body, Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    /// <summary>
    /// One row in every /api/v1 collection that creates (a module's added later included), made through the API and named
    /// distinctively, and a member whose email carries the same name, so A has data a leak would show.
    /// </summary>
    private async Task<(Dictionary<string, Guid> Ids, string Secret)> SeedAsync(MemberWorld a, string[] allScopes)
    {
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        using var client = factory.ApiClient(await a.CreateKeyAsync(allScopes, name: "seed"));
        var ids = await ApiCollections.CreateOneInEachAsync(factory.Services, client, _ => ApiCollections.CommonBody(secret));
        Assert.Contains("projects", ids.Keys);
        await a.AddAsync(TenantRole.Member, AccountFlows.UniqueEmail(secret));
        return (ids, secret);
    }

    /// <summary>
    /// A real object of A for the <c>{id}</c> of <paramref name="template"/>: the row made in its collection, else a row of
    /// the entity the collection names (members: a membership), else a row of another collection (never found there: 404).
    /// </summary>
    private static Guid IdFor(string template, Dictionary<string, Guid> ids, TenantObjects objects)
    {
        var segments = template.Split('/');
        var collection = segments[Math.Max(0, Array.IndexOf(segments, "{id}") - 1)];
        return ids.TryGetValue(collection, out var id) ? id : objects.IdFor("id", collection) ?? ids["projects"];
    }

    private async Task RevokeAsync(MemberWorld world, KeyedApi.Key key)
    {
        var outcome = await factory.WithScopeAsync(async sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
            var id = await sp.GetRequiredService<AppDbContext>().ApiKeys.Where(k => k.PublicId == key.PublicId).Select(k => k.Id).SingleAsync();
            return await sp.GetRequiredService<ApiKeyIssuer>().RevokeAsync(world.OwnerId, id);
        });
        Assert.True(outcome.Succeeded, outcome.Problem);
    }

    /// <summary>
    /// Every row of A a request could change, in every tenant-owned table (a module's added later included); not its API keys
    /// (a request stamps its key's last use) nor its audit log (the test itself makes the narrow keys, which is audited).
    /// </summary>
    private async Task<string> RowsOfAsync(MemberWorld world) =>
        string.Join("\n", (await TenantObjects.ReadAsync(factory.Services, world.Tenant)).Rows
            .Where(r => !r.StartsWith("ApiKey:", StringComparison.Ordinal) && !r.StartsWith("AuditEvent:", StringComparison.Ordinal)));

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output) : ApiAuthMatrixTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output) : ApiAuthMatrixTests(factory, output), IClassFixture<PostgresAppFactory>;
}
