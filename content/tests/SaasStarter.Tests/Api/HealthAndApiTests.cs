using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;

namespace SaasStarter.Tests.Api;

/// <summary>Health, the API root and the API's error shape, on each database provider.</summary>
public abstract class HealthAndApiTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Health_live_answers_200_json()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [ProviderFact]
    public async Task Health_ready_reports_the_migrated_database_healthy()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/health/ready");
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var check = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("database", check.GetProperty("name").GetString());
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
    }

    [ProviderFact]
    public async Task Api_root_returns_server_info_that_no_cache_may_keep()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/api/v1/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "Every /api/v1 answer says Cache-Control: no-store");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var info = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SaasStarter.Core.Product.Name, info.GetProperty("name").GetString());
        Assert.Equal("v1", info.GetProperty("apiVersion").GetString());
        Assert.False(string.IsNullOrEmpty(info.GetProperty("version").GetString()));
        Assert.Equal("/openapi/v1.json", info.GetProperty("openApi").GetString());
        Assert.Equal("/scalar", info.GetProperty("reference").GetString());
    }

    [ProviderFact]
    public async Task Unknown_api_route_returns_404_problem()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/api/v1/nope");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [ProviderFact]
    public async Task Malformed_json_body_returns_400_problem()
    {
        using var client = WithEchoApi().CreateClient();

        var good = await client.PostAsJsonAsync("/api/v1/test/echo", new EchoApi.Message("hello", 2));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode); // the module is mapped: the 400 below is about the body

        var response = await client.PostAsync("/api/v1/test/echo", new StringContent("{bad json", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [ProviderFact]
    public async Task Anonymous_call_to_a_protected_endpoint_returns_401_problem_not_a_redirect()
    {
        using var client = WithEchoApi().CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/v1/test/secret");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private WebApplicationFactory<Program> WithEchoApi() => factory.WithEchoApi();

    /// <summary>RFC 9457: the problem media type, and a body whose status repeats the response's.</summary>
    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.Equal((int)expected, body.RootElement.GetProperty("status").GetInt32());
        Assert.True(body.RootElement.TryGetProperty("title", out _), "A problem has a title: " + text);
        return body.RootElement.Clone();
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : HealthAndApiTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : HealthAndApiTests(factory), IClassFixture<PostgresAppFactory>;
}
