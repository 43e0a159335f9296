namespace SaasStarter.Api;

/// <summary>
/// A module's endpoints under /api/v1. Each module registers one with <see cref="ApiModule.AddApiModule{T}"/>,
/// so the version group, its error handling and its OpenAPI metadata are set once, in MapApi.
/// </summary>
public interface IApiModule
{
    void MapEndpoints(RouteGroupBuilder v1);
}
