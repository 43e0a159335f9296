using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SaasStarter.Api.Keys;
using SaasStarter.ApiKeys;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Core;
using SaasStarter.Projects;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.ApiKeys;

/// <summary>API keys: created in the admin UI with the secret shown once, and the only way into /api/v1.</summary>
public abstract class ApiKeyTests(AppFactory factory)
{
    // Wrong keys are sent here on purpose, from the test server's one address, more than the refused-key bucket lets
    // through (FailedKeyLimitTests covers it): lifted, so a 429 never stands in for the 401 under test.
    private readonly AppFactory factory = factory.WithSetting("Api:RateLimits:FailedKeys:Burst", "1000");

    private readonly FakeTimeProvider usageClock = UsageClock.Of(factory);

    [ProviderFact]
    public async Task An_owner_creates_a_key_whose_secret_is_shown_once_and_stored_only_hashed()
    {
        var world = await MemberWorld.FoundAsync(factory);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);

        var page = await owner.GetAsync($"/t/{world.Tenant.Slug}/api-keys");
        var created = await WebSession.ReadAsync(await owner.SubmitAsync(page,
            new Dictionary<string, string> { ["Name"] = "CRM sync", ["Scopes"] = ProjectPermissions.Read }, "#create-key-form"));

        var key = created.Document.QuerySelector("#new-key-value")?.TextContent.Trim();
        Assert.True(key is not null, WebSession.Excerpt(created));
        Assert.StartsWith(ApiKeySecret.Prefix, key);
        Assert.True(created.Response.Headers.CacheControl?.NoStore, "The page with the secret may be stored by a cache");
        var parts = ApiKeySecret.Parse(key)!;
        Assert.True(Convert.FromBase64String(parts.Secret.Replace('-', '+').Replace('_', '/') + "=").Length * 8 >= 128);
        var row = await factory.InTenantAsync(world.Tenant, db => db.ApiKeys.AsNoTracking().SingleAsync());
        Assert.Equal(ApiKeySecret.Hash(parts.Secret), row.SecretHash);
        Assert.DoesNotContain(parts.Secret, $"{row.SecretHash} {row.PublicId} {row.Name} {row.Scopes}", StringComparison.Ordinal);
        Assert.Equal([ProjectPermissions.Read], row.ScopeList);

        var again = await owner.GetAsync($"/t/{world.Tenant.Slug}/api-keys");
        Assert.DoesNotContain(parts.Secret, again.Html, StringComparison.Ordinal);
        Assert.NotNull(again.Document.QuerySelector("#api-keys-table tr[data-key='CRM sync']"));
        Assert.Contains(ApiKeyAudit.Created, await AuditAsync(world.Tenant));
    }

    [ProviderFact]
    public async Task A_key_in_either_header_reaches_its_own_tenant_and_a_signed_in_browser_does_not()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var other = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        await CreateKeyAsync(other, [ProjectPermissions.Read]);

        using var bearer = await GetAsync("/api/v1/tenant", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key));
        using var header = await GetAsync("/api/v1/tenant", r => r.Headers.Add(ApiKeyAuthentication.HeaderName, key));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        var tenant = await bearer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(world.Tenant.Slug, tenant.GetProperty("slug").GetString());
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);

        using var browser = await factory.SignedInSessionAsync(world.OwnerEmail);
        var withCookie = await browser.Client.GetAsync("/api/v1/tenant");
        Assert.Equal(HttpStatusCode.Unauthorized, withCookie.StatusCode);
    }

    [ProviderFact]
    public async Task No_key_and_malformed_unknown_revoked_or_expired_keys_get_401_problems_that_say_which()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var revoked = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        var expired = await CreateKeyAsync(world, [ProjectPermissions.Read], expiresInDays: 30);
        var (unknown, _, _) = ApiKeySecret.New();

        var none = await ProblemAsync(null);
        Assert.Equal("Bearer realm=\"api\"", none.Challenge);
        Assert.Contains("Authorization: Bearer", none.Detail);
        Assert.Contains("malformed", (await ProblemAsync("sk_live_nope")).Detail);
        Assert.Contains("not valid", (await ProblemAsync(unknown)).Detail);
        // The right shape and public id with a wrong secret is as unknown as any.
        Assert.Contains("not valid", (await ProblemAsync(revoked[..^4] + "AAAA")).Detail);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/tenant", Bearer(revoked))).StatusCode);
        var keyId = await factory.InTenantAsync(world.Tenant, db => db.ApiKeys.Where(k => k.PublicId == ApiKeySecret.Parse(revoked)!.PublicId).Select(k => k.Id).SingleAsync());
        var outcome = await AsOwnerAsync(world, issuer => issuer.RevokeAsync(world.OwnerId, keyId));
        Assert.True(outcome.Succeeded, outcome.Problem);
        Assert.Contains("revoked", (await ProblemAsync(revoked)).Detail);
        Assert.Contains(ApiKeyAudit.Revoked, await AuditAsync(world.Tenant));

        await factory.InTenantAsync(world.Tenant, db => db.ApiKeys.Where(k => k.PublicId == ApiKeySecret.Parse(expired)!.PublicId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));
        factory.Services.GetRequiredService<ApiKeyDirectory>().Forget(ApiKeySecret.Parse(expired)!.PublicId);
        Assert.Contains("expired", (await ProblemAsync(expired)).Detail);
    }

    [ProviderFact]
    public async Task A_key_without_the_scope_gets_403_and_a_demoted_creator_takes_their_keys_scopes_down_with_them()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var (adminId, adminMembership) = await world.AddAsync(TenantRole.Admin);
        var readOnly = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        var writer = await CreateKeyAsync(world, [ProjectPermissions.Write], creatorId: adminId, role: TenantRole.Admin);
        var app = factory.WithEchoApi();

        using var refused = await SendAsync(app, "/api/v1/test/projects-write", readOnly);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.MissingScope, problem.GetProperty("type").GetString());
        Assert.Contains(ProjectPermissions.Write, problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, "/api/v1/test/projects-write", writer)).StatusCode);

        // The admin becomes a viewer: their key keeps its row, but not the power to write. (The change is made through
        // the same app instance that serves the key; another instance would see it when its cache entry expires.)
        var demoted = await AsOwnerOnAsync(app, world, admin => admin.ChangeRoleAsync(world.OwnerId, adminMembership, TenantRole.Viewer));
        Assert.True(demoted.Succeeded, demoted.Problem);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(app, "/api/v1/test/projects-write", writer)).StatusCode);

        // Removed altogether: the key stops working.
        var removed = await AsOwnerOnAsync(app, world, admin => admin.RemoveAsync(world.OwnerId, adminMembership));
        Assert.True(removed.Succeeded, removed.Problem);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, "/api/v1/test/projects-write", writer)).StatusCode);
    }

    [ProviderFact]
    public async Task A_suspended_tenants_keys_get_403_with_their_own_problem_type()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/tenant", Bearer(key))).StatusCode);

        await factory.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<SaasStarter.Data.AppDbContext>().Tenants.Where(t => t.Id == world.Tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SuspendedAtUtc, DateTime.UtcNow));
            sp.GetRequiredService<TenantDirectory>().Forget(world.Tenant.Slug);
            return 0;
        });

        using var response = await GetAsync("/api/v1/tenant", Bearer(key));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ProblemTypes.TenantSuspended, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    /// <summary>
    /// The app's flush runs on <see cref="usageClock"/>, which moves only when the test moves it: before its minute has
    /// passed nothing can be written, however long the requests took; after, the app's own timer writes the time noted.
    /// </summary>
    [ProviderFact]
    public async Task Last_use_is_recorded_by_the_periodic_flush_not_by_each_request()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await CreateKeyAsync(world, [ProjectPermissions.Read]);
        var usedAt = usageClock.GetUtcNow().UtcDateTime;

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/tenant", Bearer(key))).StatusCode);
        Assert.Null(await LastUsedAsync(world));

        usageClock.Advance(ApiKeyUsage.FlushInterval);
        var recorded = await Eventually.UntilAsync(() => LastUsedAsync(world), at => at is not null, TimeSpan.FromSeconds(120),
            "the periodic flush to record the key's last use");
        Assert.Equal(usedAt, recorded);
    }

    private Task<DateTime?> LastUsedAsync(MemberWorld world) =>
        factory.InTenantAsync(world.Tenant, db => db.ApiKeys.Select(k => k.LastUsedAtUtc).SingleAsync());

    [ProviderFact]
    public async Task Keys_are_managed_only_with_apikeys_manage_and_never_with_scopes_beyond_the_creator()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("member");
        var (memberId, _) = await world.AddAsync(TenantRole.Member, memberEmail);

        using var member = await factory.SignedInSessionAsync(memberEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/t/{world.Tenant.Slug}/api-keys")).Status);
        var byMember = await AsAsync(world, TenantRole.Member, i => i.CreateAsync(memberId, "mine", [ProjectPermissions.Read], null));
        Assert.False(byMember.Succeeded);
        var beyond = await AsOwnerAsync(world, i => i.CreateAsync(world.OwnerId, "too much", [TenantPermissions.Settings], null));
        Assert.False(beyond.Succeeded);
        var badExpiry = await AsOwnerAsync(world, i => i.CreateAsync(world.OwnerId, "odd", [ProjectPermissions.Read], 12345));
        Assert.False(badExpiry.Succeeded);
        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.ApiKeys.CountAsync()));
    }

    private static Action<HttpRequestMessage> Bearer(string key) =>
        r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    private async Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? prepare = null)
    {
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        prepare?.Invoke(request);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string path, string key)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    private async Task<(string? Challenge, string? Detail)> ProblemAsync(string? key)
    {
        using var response = await GetAsync("/api/v1/tenant", key is null ? null : Bearer(key));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
        return (response.Headers.WwwAuthenticate.ToString(), problem.GetProperty("detail").GetString());
    }

    private async Task<string> CreateKeyAsync(MemberWorld world, string[] scopes, int? expiresInDays = null, Guid? creatorId = null,
        TenantRole role = TenantRole.Owner)
    {
        var created = await AsAsync(world, role, i => i.CreateAsync(creatorId ?? world.OwnerId, "test key", scopes, expiresInDays));
        Assert.True(created.Succeeded, created.Problem);
        return created.Value!.Key;
    }

    private static async Task<SaasStarter.Core.Outcome> AsOwnerOnAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app,
        MemberWorld world, Func<MemberAdministration, Task<SaasStarter.Core.Outcome>> act)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
        return await act(scope.ServiceProvider.GetRequiredService<MemberAdministration>());
    }

    private Task<T> AsOwnerAsync<T>(MemberWorld world, Func<ApiKeyIssuer, Task<T>> act) => AsAsync(world, TenantRole.Owner, act);

    private Task<T> AsAsync<T>(MemberWorld world, TenantRole role, Func<ApiKeyIssuer, Task<T>> act) =>
        factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, role);
            return act(sp.GetRequiredService<ApiKeyIssuer>());
        });

    private Task<List<string>> AuditAsync(CurrentTenant tenant) =>
        factory.InTenantAsync(tenant, db => db.AuditEvents.Select(e => e.Action).ToListAsync());

    public sealed class OnSqlite(SqliteAppFactory factory) : ApiKeyTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : ApiKeyTests(factory), IClassFixture<PostgresAppFactory>;
}

/// <summary>
/// The app's <see cref="ApiKeyUsage"/> on a clock of the test's (the rest of the app keeps the system clock): its
/// once-a-minute flush comes when the test advances the clock, never on its own.
/// </summary>
internal static class UsageClock
{
    private static readonly ConditionalWeakTable<AppFactory, FakeTimeProvider> Clocks = [];

    /// <summary>The clock of <paramref name="factory"/>'s usage, set up on first use: call before the app starts.</summary>
    public static FakeTimeProvider Of(AppFactory factory)
    {
        if (Clocks.TryGetValue(factory, out var known)) return known;
        // Whole seconds: the time noted is stored exactly by both providers.
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Clocks.Add(factory, clock);
        factory.WithServices(services =>
        {
            services.RemoveAll<ApiKeyUsage>();
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ApiKeyUsage>(sp, (TimeProvider)clock));
        });
        return clock;
    }
}
