using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.RateLimits;
using SaasStarter.Api.Keys;
using SaasStarter.Members;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Core;
using SaasStarter.Projects;

namespace SaasStarter.Tests.Api;

/// <summary>
/// Refused API keys (malformed, unknown, wrong secret, revoked...) count against their client address
/// (<c>Api:RateLimits:FailedKeys</c>); once it has used them up, its keys get a 429 problem without a database lookup, while
/// a key the app already knows to be good keeps working. The app runs behind a proxy in a known network, so each test sends
/// through it from an address of its own in <c>X-Forwarded-For</c>; a client that reaches the app past the proxy counts as
/// itself, whatever it forwards. The bucket holds <see cref="Burst"/> refusals and refills one a minute, so no test waits
/// for a refill. SQL commands are logged to show which requests looked a key up.
/// </summary>
public abstract class FailedKeyLimitTests(FailedKeyLimitTests.Fixture fixture)
{
    private const int Burst = 4;

    /// <summary>The proxies' network (<c>ForwardedHeaders:KnownNetworks</c>) and the proxy the tests' requests come through.</summary>
    private const string ProxyNetwork = "10.0.0.0/8";

    private static readonly IPAddress Proxy = IPAddress.Parse("10.20.30.40");

    private static int lastAddress;

    private readonly AppFactory factory = fixture.Factory;
    private readonly WebApplicationFactory<Program> app = fixture.App;
    private readonly SqlCommandLog sql = fixture.Sql;
    private readonly RaceGate gate = fixture.Gate;

    [ProviderFact]
    public async Task After_its_refusals_an_address_gets_a_429_problem_with_Retry_After_and_its_key_is_not_looked_up()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var real = await world.CreateKeyAsync([ProjectPermissions.Read], name: "real");
        var revoked = await world.CreateKeyAsync([ProjectPermissions.Read], name: "revoked");
        await factory.InTenantAsync(world.Tenant, db => db.ApiKeys.Where(k => k.PublicId == revoked.PublicId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUtc, DateTime.UtcNow)));
        var address = NewAddress();
        var unknown = ApiKeySecret.New();

        // Every way a key is refused takes one of the address's tokens, and still says why (401).
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(address, "sk_live_nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(address, unknown.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(address, WithWrongSecret(real.Secret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(address, revoked.Secret)).StatusCode);
        Assert.Equal(1, sql.CountWithParameter(unknown.PublicId)); // the log sees a lookup when there is one

        var guess = ApiKeySecret.New();
        using var refused = await GetTenantAsync(address, guess.Key);

        var problem = await HealthAndApiTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(ProblemTypes.RateLimited, problem.GetProperty("type").GetString());
        Assert.Contains("refused API key", problem.GetProperty("detail").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _));
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal(Burst, Header(refused, RateLimitHeaders.Limit));
        Assert.Equal(0, Header(refused, RateLimitHeaders.Remaining));
        Assert.Empty(refused.Headers.WwwAuthenticate);
        Assert.Equal(0, sql.CountWithParameter(guess.PublicId));

        // Any other refused key from there is a 429 as well, the malformed and the known-but-revoked alike.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetTenantAsync(address, "sk_live_nope")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetTenantAsync(address, revoked.Secret)).StatusCode);
    }

    [ProviderFact]
    public async Task A_key_the_app_knows_to_be_good_still_gets_in_from_an_address_that_used_up_its_refusals()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);
        var fresh = await world.CreateKeyAsync([ProjectPermissions.Read], name: "fresh");
        var address = NewAddress();
        Assert.Equal(HttpStatusCode.OK, (await GetTenantAsync(address, key.Secret)).StatusCode);
        await UseUpRefusalsAsync(address);

        // Cached: no query at all.
        var before = sql.CountWithParameter(key.PublicId);
        using var ok = await GetTenantAsync(address, key.Secret);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(before, sql.CountWithParameter(key.PublicId));
        // Its buckets are its own: the headers of a success are the key's, not the address's refusals.
        Assert.Equal(new ApiRateLimitSettings().PerKey.Burst, Header(ok, RateLimitHeaders.Limit));

        // Its cached copy gone (as every 30 seconds), the key is still recognised and looked up again.
        app.Services.GetRequiredService<ApiKeyDirectory>().ForgetAll();
        Assert.Equal(HttpStatusCode.OK, (await GetTenantAsync(address, key.Secret)).StatusCode);
        Assert.True(sql.CountWithParameter(key.PublicId) > before, "The key was not looked up again");

        // The price of stopping guesses: a valid key this app has not seen waits for a token like any guess.
        using var unseen = await GetTenantAsync(address, fresh.Secret);
        Assert.Equal(HttpStatusCode.TooManyRequests, unseen.StatusCode);
        Assert.Equal(0, sql.CountWithParameter(fresh.PublicId));
    }

    [ProviderFact]
    public async Task Refusals_count_per_forwarded_address_and_valid_keys_spend_none()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);
        var busy = NewAddress();
        var other = NewAddress();

        for (var i = 0; i < Burst * 3; i++) Assert.Equal(HttpStatusCode.OK, (await GetTenantAsync(busy, key.Secret)).StatusCode);
        await UseUpRefusalsAsync(busy);

        using var elsewhere = await GetTenantAsync(other, ApiKeySecret.New().Key);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [ProviderFact]
    public async Task Concurrent_guesses_reach_the_database_no_more_often_than_the_address_has_refusals()
    {
        var address = NewAddress();
        var guesses = Enumerable.Range(0, 24).Select(_ => ApiKeySecret.New()).ToList();
        // The lookups are held at the database until every guess has entered the app: all of them are under way at once,
        // while as many lookups as the address has refusals are.
        var race = gate.Start(Burst, RacePoint.Command("\"ApiKeys\""), requests: guesses.Count);

        var responses = await Task.WhenAll(guesses.Select(g => GetTenantAsync(address, g.Key, race)));

        Assert.Equal(Burst, race.Arrived);
        var lookups = guesses.Sum(g => sql.CountWithParameter(g.PublicId));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        // Lookups wait while every token left is spoken for: each of the few ended in a refusal that still had its token
        // (401), and every other guess was stopped before one (429).
        Assert.Equal(Burst, lookups);
        Assert.Equal(lookups, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(guesses.Count - lookups, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        foreach (var response in responses) response.Dispose();
    }

    /// <summary>Guessing from one place with a fresh X-Forwarded-For each time is still guessing from one place.</summary>
    [ProviderFact]
    public async Task A_client_that_is_not_a_known_proxy_counts_as_itself_whatever_X_Forwarded_For_it_sends()
    {
        var direct = IPAddress.Parse(NewAddress());

        for (var i = 0; i < Burst; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(NewAddress(), ApiKeySecret.New().Key, from: direct)).StatusCode);
        }
        using var refused = await GetTenantAsync(NewAddress(), ApiKeySecret.New().Key, from: direct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // Through the proxy, the address it forwards is the client: a fresh one has its refusals yet.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(NewAddress(), ApiKeySecret.New().Key)).StatusCode);
    }

    private static string WithWrongSecret(string key) => key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

    private async Task UseUpRefusalsAsync(string address)
    {
        for (var i = 0; i < Burst; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await GetTenantAsync(address, ApiKeySecret.New().Key)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetTenantAsync(address, ApiKeySecret.New().Key)).StatusCode);
    }

    /// <summary>A client address of this test's own (TEST-NET-3 and the like, never a real client).</summary>
    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref lastAddress);
        return $"203.0.{113 + n / 250}.{n % 250 + 1}";
    }

    /// <summary>GET /api/v1/tenant with <paramref name="key"/>, forwarded for <paramref name="address"/> by the proxy (or by <paramref name="from"/>).</summary>
    private async Task<HttpResponseMessage> GetTenantAsync(string address, string key, Race? race = null, IPAddress? from = null)
    {
        using var client = new HttpClient(app.Server.CreateHandler(c => c.Connection.RemoteIpAddress = from ?? Proxy)) { BaseAddress = app.Server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenant");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", address);
        if (race is not null) request.Headers.Add(RaceGate.Header, race.Id);
        return await client.SendAsync(request);
    }

    private static int Header(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values), $"No {name} header on a {(int)response.StatusCode}");
        return int.Parse(Assert.Single(values), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The app with a small bucket of refusals that refills one a minute, behind proxies, with its SQL logged.</summary>
    public abstract class Fixture : IAsyncLifetime
    {
        protected Fixture(AppFactory factory)
        {
            Factory = factory
                .WithSetting("Api:RateLimits:FailedKeys:PermitsPerMinute", "1")
                .WithSetting("Api:RateLimits:FailedKeys:Burst", Burst.ToString(CultureInfo.InvariantCulture))
                .WithSetting("ForwardedHeaders:Enabled", "true")
                .WithSetting("ForwardedHeaders:KnownNetworks:0", ProxyNetwork);
            Gate = RaceGate.Of(Factory);
            App = Sql.Attach(Factory);
        }

        public AppFactory Factory { get; }

        public RaceGate Gate { get; }

        public SqlCommandLog Sql { get; } = new();

        public WebApplicationFactory<Program> App { get; }

        Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

        async Task IAsyncLifetime.DisposeAsync()
        {
            await App.DisposeAsync();
            await Factory.DisposeAsync();
        }
    }

    public sealed class SqliteFixture() : Fixture(new SqliteAppFactory());

    public sealed class PostgresFixture() : Fixture(new PostgresAppFactory());

    public sealed class OnSqlite(SqliteFixture fixture) : FailedKeyLimitTests(fixture), IClassFixture<SqliteFixture>;

    public sealed class OnPostgres(PostgresFixture fixture) : FailedKeyLimitTests(fixture), IClassFixture<PostgresFixture>, IRunsOnPostgres;
}
