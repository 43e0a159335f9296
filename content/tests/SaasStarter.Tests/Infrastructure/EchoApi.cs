using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SaasStarter.Api;
using SaasStarter.Api.Keys;
using SaasStarter.Members;
using SaasStarter.Projects;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// Test-only endpoints on the app's /api/v1 group (<see cref="TestApi"/>):
/// <c>POST /api/v1/test/echo</c> binds a JSON body, <c>GET /api/v1/test/secret</c> needs a signed-in caller,
/// <c>GET /api/v1/test/projects-write</c> an API key with the projects.write scope.
/// </summary>
public static class EchoApi
{
    public sealed record Message(string Text, int Count);

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/test/echo", (Message message) => TypedResults.Ok(message));
        v1.MapGet("/test/secret", () => TypedResults.Ok("secret")).RequireAuthorization();
        v1.MapGet("/test/projects-write", () => TypedResults.Ok("written")).RequireApiKey().RequireScope(ProjectPermissions.Write);
    }
}
