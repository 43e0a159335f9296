using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Keys;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;

using SaasStarter.ApiKeys;

namespace SaasStarter.Tests.Members;

/// <summary>Calling /api/v1 as an integration would: a key made in a tenant by one of its members, sent as a bearer token.</summary>
internal static class KeyedApi
{
    public sealed record Key(string Secret, string Name, string PublicId)
    {
        /// <summary>The actor the audit log records for this key's actions.</summary>
        public string ActorLabel => $"api key \"{Name}\" ({ApiKeySecret.Prefix}{PublicId}…)";
    }

    /// <summary>A key made by <paramref name="creatorId"/> (the owner by default), who holds <paramref name="creatorRole"/>.</summary>
    public static async Task<Key> CreateKeyAsync(this MemberWorld world, string[] scopes, Guid? creatorId = null,
        TenantRole creatorRole = TenantRole.Owner, string name = "CRM sync")
    {
        var created = await world.Factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, creatorRole);
            return sp.GetRequiredService<ApiKeyIssuer>().CreateAsync(creatorId ?? world.OwnerId, name, scopes, null);
        });
        Assert.True(created.Succeeded, created.Problem);
        return new Key(created.Value!.Key, name, created.Value!.Row.PublicId);
    }

    /// <summary>A client that sends <paramref name="key"/> on every request.</summary>
    public static HttpClient ApiClient(this AppFactory factory, Key key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a problem response with <paramref name="status"/> and the app's traceId; returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _), body);
        return problem;
    }

    /// <summary>The fields a 400 validation problem names.</summary>
    public static async Task<List<string>> ValidationErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(400);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    public static List<string> Strings(this JsonElement items, string property) =>
        [.. items.EnumerateArray().Select(i => i.GetProperty(property).GetString()!)];
}
