using SaasStarter.Api;
using SaasStarter.ApiKeys;

namespace SaasStarter.Features.Api;

/// <summary>
/// <c>GET /api/v1/features</c>: the key's workspace's plan, flags and limits (any valid key may ask), so an integration
/// can see what the workspace may use before it tries.
/// </summary>
internal sealed class FeaturesApi : IApiModule
{
    public void MapEndpoints(RouteGroupBuilder v1) =>
        v1.MapGet("/features", async (WorkspaceFeatureReport report, CancellationToken cancellationToken) =>
                TypedResults.Ok(WorkspaceFeaturesDto.From(await report.ReadAsync(cancellationToken))))
            .RequireApiKey()
            .WithName("GetFeatures")
            .WithSummary("The workspace's plan, which features are on for it, and its limits with what it uses of them.")
            .WithDescription("A null limit is no limit. `members.used` counts the members and the invitations still waiting, as the limit does.");
}
