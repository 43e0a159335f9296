using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SaasStarter.Api;
using SaasStarter.ApiKeys;
using SaasStarter.Members;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// A test-only API module, registered with <c>ConfigureTestServices(s =&gt; s.AddApiModule&lt;EchoApi&gt;())</c>:
/// <c>POST /api/v1/test/echo</c> binds a JSON body, <c>GET /api/v1/test/secret</c> needs a signed-in caller,
/// <c>GET /api/v1/test/projects-write</c> an API key with the projects.write scope.
/// </summary>
public sealed class EchoApi : IApiModule
{
    public sealed record Message(string Text, int Count);

    public void MapEndpoints(RouteGroupBuilder v1)
    {
        v1.MapPost("/test/echo", (Message message) => TypedResults.Ok(message));
        v1.MapGet("/test/secret", () => TypedResults.Ok("secret")).RequireAuthorization();
        v1.MapGet("/test/projects-write", () => TypedResults.Ok("written")).RequireApiKey().RequireScope(Permissions.ProjectsWrite);
    }
}
