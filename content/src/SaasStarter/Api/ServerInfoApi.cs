using System.Reflection;
using SaasStarter.Core;

namespace SaasStarter.Api;

/// <summary><c>GET /api/v1</c>: what an integration checks first, the API's version and where its documentation is.</summary>
internal static class ServerInfoApi
{
    public sealed record ServerInfo(string Name, string Version, string ApiVersion, string OpenApi, string Reference);

    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/", () => TypedResults.Ok(new ServerInfo(
                Name: Product.Name,
                Version: typeof(ServerInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
                ApiVersion: "v1",
                OpenApi: "/openapi/v1.json",
                Reference: "/scalar")))
            .WithName("GetServerInfo")
            .WithSummary("The API's version and the addresses of its documentation.");
}
