using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Api;

/// <summary>
/// The /api/v1 collections that create rows (a POST on <c>/api/v1/&lt;collection&gt;</c>), read from the endpoint data
/// source, and one row made in each through the API itself: how the route-discovering suites get a real id for every
/// <c>{id}</c> of a module added later, with no edit here.
/// </summary>
internal static partial class ApiCollections
{
    /// <summary>
    /// One body every create endpoint accepts (each reads its fields and ignores the rest): name and description for a
    /// module made from the template or the projects, email and role for invitations. A module whose create needs more
    /// adds its field here, and the suites that use it tell (their create fails, naming the collection).
    /// </summary>
    public static Dictionary<string, string> CommonBody(string name) => new()
    {
        ["name"] = name, ["description"] = "Made by a route-discovering test.", ["email"] = AccountFlows.UniqueEmail("probe"), ["role"] = "Member",
    };

    /// <summary>The collections with a create endpoint: <c>projects</c>, <c>invitations</c>, and any a module adds.</summary>
    public static IReadOnlyList<string> Creatable(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => Collection().Match(e.RoutePattern.RawText ?? ""))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .Order(StringComparer.Ordinal)];

    /// <summary>Creates one row in every creatable collection with <paramref name="body"/>; the ids by collection.</summary>
    public static async Task<Dictionary<string, Guid>> CreateOneInEachAsync(IServiceProvider services, HttpClient client,
        Func<string, Dictionary<string, string>> body)
    {
        var ids = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var collection in Creatable(services))
        {
            using var created = await client.PostAsync($"/api/v1/{collection}",
                new StringContent(JsonSerializer.Serialize(body(collection)), Encoding.UTF8, "application/json"));
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.IsSuccessStatusCode, $"creating one of /api/v1/{collection} answered {(int)created.StatusCode}: {text}");
            ids[collection] = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        }
        return ids;
    }

    [GeneratedRegex(@"^/?api/v1/([a-z0-9-]+)/?$")]
    private static partial Regex Collection();
}
