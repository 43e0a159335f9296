using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using SaasStarter.Api;
using SaasStarter.Api.OpenApi;
using SaasStarter.Api.Keys;
using SaasStarter.Hosting;
using SaasStarter.Members;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;
using SaasStarter.Projects;
using SaasStarter.Tenants.Api;

namespace SaasStarter.Tests.Api;

/// <summary>
/// What /openapi/v1.json promises an integrator, added centrally by the transformers in Api/OpenApi: security on
/// key-protected operations only, problem responses by what an operation is, examples from the DTOs. A test-only
/// module (<see cref="ProbeApi"/>) gives the rules an operation with an id, a body, a scope and a declared problem.
/// </summary>
public sealed class OpenApiContractTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task Document_names_the_product_and_says_how_to_get_and_send_a_key()
    {
        var root = await DocumentAsync(factory);

        var info = root.GetProperty("info");
        Assert.Equal($"{Product.Name} API", info.GetProperty("title").GetString());
        var description = info.GetProperty("description").GetString()!;
        Assert.Contains("/t/<workspace>/api-keys", description);
        Assert.Contains("Authorization: Bearer <key>", description);
        Assert.Contains(ApiKeyAuthentication.HeaderName, description);

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        var bearer = schemes.GetProperty(ApiDocumentDescription.BearerScheme);
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var apiKey = schemes.GetProperty(ApiDocumentDescription.ApiKeyScheme);
        Assert.Equal("apiKey", apiKey.GetProperty("type").GetString());
        Assert.Equal("header", apiKey.GetProperty("in").GetString());
        Assert.Equal(ApiKeyAuthentication.HeaderName, apiKey.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Key_protected_operations_accept_either_scheme_with_their_scopes_and_the_api_root_needs_none()
    {
        var root = await DocumentAsync(Probed());

        var tenant = Operation(root, "/api/v1/tenant", "get");
        Assert.Equal([("Bearer", ""), ("ApiKey", "")], Requirements(tenant));

        var widget = Operation(root, "/api/v1/test/widgets/{id}", "put");
        Assert.Equal([("Bearer", ProjectPermissions.Write), ("ApiKey", ProjectPermissions.Write)], Requirements(widget));
        Assert.Contains($"`{ProjectPermissions.Write}`", widget.GetProperty("description").GetString());

        // Key and scope set once on a route group (as a module may do) count for its endpoints; scopes add up.
        var gadgets = Operation(root, "/api/v1/test/gadgets", "delete");
        var both = $"{ProjectPermissions.Read} {ProjectPermissions.Write}";
        Assert.Equal([("Bearer", both), ("ApiKey", both)], Requirements(gadgets));

        Assert.False(Operation(root, "/api/v1", "get").TryGetProperty("security", out _), "GET /api/v1/ is anonymous");
        Assert.False(Operation(root, "/api/v1/test/widgets", "post").TryGetProperty("security", out _), "an endpoint without the key policy");
    }

    [Fact]
    public async Task Problem_responses_follow_from_what_the_operation_is()
    {
        var root = await DocumentAsync(Probed());

        // Behind a key, with an id and a body: every problem the pipeline can answer.
        Assert.Equal(["200", "400", "401", "403", "404", "409", "413", "415", "429"], Statuses(Operation(root, "/api/v1/test/widgets/{id}", "put")));
        // Behind a key, no input: no 400, 404, 413 or 415.
        Assert.Equal(["200", "401", "403", "429"], Statuses(Operation(root, "/api/v1/tenant", "get")));
        // Anonymous with a body: the body's problems only.
        Assert.Equal(["200", "400", "413", "415"], Statuses(Operation(root, "/api/v1/test/widgets", "post")));
        Assert.Equal(["200"], Statuses(Operation(root, "/api/v1", "get")));

        var widget = Operation(root, "/api/v1/test/widgets/{id}", "put").GetProperty("responses");
        Assert.Equal("#/components/responses/NotFound", widget.GetProperty("404").GetProperty("$ref").GetString());
        Assert.Equal("#/components/responses/TooManyRequests", widget.GetProperty("429").GetProperty("$ref").GetString());
        // The endpoint's own 409 keeps its place, labelled as the problem it is.
        var conflict = widget.GetProperty("409").GetProperty("content");
        Assert.Equal(["application/problem+json"], conflict.EnumerateObject().Select(c => c.Name));
        Assert.Equal("#/components/schemas/ProblemDetails", conflict.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        // A key's successful answers tell it where it stands with the rate limit.
        var headers = widget.GetProperty("200").GetProperty("headers").EnumerateObject().Select(h => h.Name).ToList();
        Assert.Equal(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"], headers);

        var responses = root.GetProperty("components").GetProperty("responses");
        var tooMany = responses.GetProperty("TooManyRequests");
        Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _), "429 without Retry-After");
        foreach (var response in responses.EnumerateObject())
        {
            var content = Assert.Single(response.Value.GetProperty("content").EnumerateObject());
            Assert.Equal("application/problem+json", content.Name);
            var schema = content.Value.GetProperty("schema").GetProperty("$ref").GetString();
            Assert.Equal(response.Name == "BadRequest" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails", schema);
        }
        var problem = root.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        Assert.True(problem.TryGetProperty("traceId", out _), "every problem of the API carries a traceId");
    }

    [Fact]
    public async Task Dtos_that_carry_an_example_show_it_as_the_api_serializes_it()
    {
        var root = await DocumentAsync(Probed());
        var schemas = root.GetProperty("components").GetProperty("schemas");

        var tenant = Assert.Single(schemas.GetProperty("TenantDto").GetProperty("examples").EnumerateArray());
        Assert.Equal(TenantExampleProperties, tenant.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TenantApi.TenantDto.Example.Slug, tenant.GetProperty("slug").GetString());

        // A request body's schema (the one the PUT refers to) carries its example too, complete.
        var bodySchema = Operation(root, "/api/v1/test/widgets/{id}", "put").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var widget = schemas.GetProperty(bodySchema.Split('/')[^1]);
        var example = Assert.Single(widget.GetProperty("examples").EnumerateArray());
        var required = widget.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.All(required, name => Assert.True(example.TryGetProperty(name!, out _), $"the example lacks {name}"));
        Assert.Equal("archived", example.GetProperty("status").GetString());

        Assert.False(schemas.GetProperty("ServerInfo").TryGetProperty("examples", out _), "a DTO without IApiExample gets none");
    }

    [Fact]
    public async Task Every_reference_in_the_document_resolves()
    {
        var root = await DocumentAsync(Probed());
        var components = root.GetProperty("components");

        var references = new List<string>();
        Collect(root, references);
        Assert.NotEmpty(references);
        foreach (var reference in references.Distinct())
        {
            var parts = reference.Split('/');
            Assert.True(parts is ["#", "components", _, _], $"unexpected reference {reference}");
            Assert.True(components.TryGetProperty(parts[2], out var kind) && kind.TryGetProperty(parts[3], out _), $"{reference} points nowhere");
        }

        static void Collect(JsonElement element, List<string> found)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref") found.Add(property.Value.GetString()!);
                    else Collect(property.Value, found);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) Collect(item, found);
            }
        }
    }

    [Fact]
    public async Task Scalar_prefers_the_bearer_scheme_and_talks_to_no_one_but_this_server()
    {
        using var client = factory.CreateClient();
        var html = await client.GetStringAsync("/scalar/");

        Assert.Contains("\"preferredSecurityScheme\":[\"Bearer\"]", html);
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.Contains("\"agent\":{\"disabled\":true}", html);
        Assert.Contains("\"mcp\":{\"disabled\":true}", html);
        Assert.Contains("\"showDeveloperTools\":\"never\"", html);
    }

    private static readonly string[] TenantExampleProperties = ["id", "name", "slug", "plan"];

    private WebApplicationFactory<Program> Probed() =>
        factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddTestApi(ProbeApi.Map)));

    private static async Task<JsonElement> DocumentAsync(WebApplicationFactory<Program> app)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Operation(JsonElement root, string path, string method) =>
        root.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static List<string> Statuses(JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name)];

    /// <summary>Each alternative requirement as (scheme, its space-joined scopes).</summary>
    private static List<(string, string)> Requirements(JsonElement operation) =>
        [.. operation.GetProperty("security").EnumerateArray().Select(requirement =>
        {
            var scheme = Assert.Single(requirement.EnumerateObject());
            return (scheme.Name, string.Join(' ', scheme.Value.EnumerateArray().Select(s => s.GetString())));
        })];

    /// <summary>Endpoints shaped like the real modules' (the projects API's PUT), so the rules are tested before those land.</summary>
    private static class ProbeApi
    {
        public sealed record WidgetInput(string Name, string? Description, string Status) : IApiExample<WidgetInput>
        {
            public static WidgetInput Example => new("Website relaunch", "Everything for the new site.", "archived");
        }

        public static void Map(RouteGroupBuilder v1)
        {
            v1.MapPut("/test/widgets/{id:guid}", Results<Ok<WidgetInput>, Conflict<ProblemDetails>> (Guid id, WidgetInput input) =>
                    TypedResults.Ok(input))
                .RequireApiKey()
                .RequireScope(ProjectPermissions.Write);
            v1.MapPost("/test/widgets", (WidgetInput input) => TypedResults.Ok(input));
            var gadgets = v1.MapGroup("/test/gadgets").RequireApiKey().RequireScope(ProjectPermissions.Read);
            gadgets.MapDelete("/", () => TypedResults.NoContent()).RequireScope(ProjectPermissions.Write);
        }
    }
}
