using SaasStarter.Api;
using SaasStarter.Api.Keys;
using SaasStarter.Features;

namespace SaasStarter.Tenants.Api;

/// <summary>
/// <c>GET /api/v1/features</c>: the key's workspace's plan, flags and limits (any valid key may ask), so an integration
/// can see what the workspace may use before it tries.
/// </summary>
internal static class FeaturesApi
{
    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/features", async (TenantFeatureReport report, CancellationToken cancellationToken) =>
                TypedResults.Ok(TenantFeaturesDto.From(await report.ReadAsync(cancellationToken))))
            .RequireApiKey()
            .WithName("GetFeatures")
            .WithSummary("The workspace's plan, which features are on for it, and its limits with what it uses of them.")
            .WithDescription("Limits are keyed by name; a null limit is no limit, a null `used` a limit that counts nothing (a rate, a retention period). `members.used` counts the members and the invitations still waiting, as that limit does.");
}
