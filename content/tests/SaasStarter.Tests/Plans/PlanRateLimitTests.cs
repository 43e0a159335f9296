using System.Globalization;
using System.Net;
using SaasStarter.Api.RateLimits;
using SaasStarter.Members;
using SaasStarter.Plans;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;

namespace SaasStarter.Tests.Plans;

/// <summary>
/// A workspace's API budget is its plan's <c>ApiRequestsPerMinute</c>. Free runs here at <see cref="FreeRate"/> a minute
/// (so its bursts are cut to that), Pro at its 600 with the configured bursts; the keys refill one a minute. Like
/// <c>RateLimitTests</c>, no test sees a refill: the first comes a whole minute after a bucket's first request.
/// </summary>
public abstract class PlanRateLimitTests(AppFactory factory)
{
    private const int FreeRate = 1;
    private const int KeyBurst = 5;
    private const int TenantBurst = 8;
    private const int Traffic = 4;

    [ProviderFact]
    public async Task A_free_workspace_gets_429_after_its_plans_budget_while_a_pro_workspace_with_the_same_traffic_does_not()
    {
        var free = await MemberWorld.FoundAsync(factory);
        var pro = await MemberWorld.FoundAsync(factory);
        await pro.AssignPlanAsync("pro");
        var freeKey = await free.CreateKeyAsync([ProjectPermissions.Read]);
        var proKey = await pro.CreateKeyAsync([ProjectPermissions.Read]);

        var freeAnswers = await SendAsync(freeKey, Traffic);
        var proAnswers = await SendAsync(proKey, Traffic);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, FreeRate), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, Traffic - FreeRate)],
            freeAnswers.Select(a => a.Status));
        Assert.Equal(FreeRate, freeAnswers[0].Limit);
        Assert.Contains("workspace", freeAnswers[^1].Detail);
        Assert.All(proAnswers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(KeyBurst, proAnswers[0].Limit);
    }

    [ProviderFact]
    public async Task A_workspace_moved_to_another_plan_gets_its_budget_at_once()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read]);
        var spent = await SendAsync(key, FreeRate + 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, spent[^1].Status);

        await world.AssignPlanAsync("pro");

        var upgraded = await SendAsync(key, Traffic);
        Assert.All(upgraded, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal((KeyBurst, KeyBurst - 1), (upgraded[0].Limit, upgraded[0].Remaining));
    }

    private sealed record Answer(HttpStatusCode Status, int Limit, int Remaining, string? Detail);

    private async Task<List<Answer>> SendAsync(KeyedApi.Key key, int requests)
    {
        using var client = factory.ApiClient(key);
        var answers = new List<Answer>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync("/api/v1/projects");
            var detail = response.StatusCode == HttpStatusCode.TooManyRequests
                ? (await response.JsonAsync()).GetProperty("detail").GetString()
                : null;
            answers.Add(new Answer(response.StatusCode, Header(response, RateLimitHeaders.Limit), Header(response, RateLimitHeaders.Remaining), detail));
        }
        return answers;
    }

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(Assert.Single(response.Headers.GetValues(name)), NumberStyles.None, CultureInfo.InvariantCulture);

    public sealed class SlowFreePlan<TFactory> : IAsyncLifetime where TFactory : AppFactory, new()
    {
        public AppFactory Factory { get; } = new TFactory()
            .WithSetting("Plans:Catalog:0:Limits:ApiRequestsPerMinute", FreeRate.ToString(CultureInfo.InvariantCulture))
            .WithSetting("Api:RateLimits:PerKey:PermitsPerMinute", "1")
            .WithSetting("Api:RateLimits:PerKey:Burst", KeyBurst.ToString(CultureInfo.InvariantCulture))
            .WithSetting("Api:RateLimits:PerTenant:Burst", TenantBurst.ToString(CultureInfo.InvariantCulture));

        Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

        Task IAsyncLifetime.DisposeAsync() => Factory.DisposeAsync().AsTask();
    }

    public sealed class OnSqlite(SlowFreePlan<SqliteAppFactory> plan) : PlanRateLimitTests(plan.Factory), IClassFixture<SlowFreePlan<SqliteAppFactory>>;

    public sealed class OnPostgres(SlowFreePlan<PostgresAppFactory> plan)
        : PlanRateLimitTests(plan.Factory), IClassFixture<SlowFreePlan<PostgresAppFactory>>, IRunsOnPostgres;
}

/// <summary>How a plan's rate becomes a workspace's buckets.</summary>
public sealed class PlanApiRateLimitsTests
{
    [Fact]
    public void A_plans_rate_refills_the_workspace_no_key_refills_faster_and_bursts_are_cut_to_a_minutes_worth()
    {
        var settings = new ApiLimitSettings(MaxRequestBodyBytes: 1024);

        Assert.Equal(new TenantRateLimits(new RateLimit(120, 100), new RateLimit(120, 120)),
            PlanApiRateLimits.Of(120, settings));
        Assert.Equal(new TenantRateLimits(new RateLimit(600, 100), new RateLimit(3000, 200)),
            PlanApiRateLimits.Of(3000, settings));
        Assert.Equal(new TenantRateLimits(settings.RateLimits.PerKey, settings.RateLimits.PerTenant), PlanApiRateLimits.Of(null, settings));
    }
}
