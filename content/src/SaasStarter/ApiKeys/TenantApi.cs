using SaasStarter.Api;
using SaasStarter.Api.OpenApi;
using SaasStarter.Tenancy;

namespace SaasStarter.ApiKeys;

/// <summary><c>GET /api/v1/tenant</c>: the workspace the key belongs to (any valid key may ask).</summary>
internal sealed class TenantApi : IApiModule
{
    public sealed record TenantDto(Guid Id, string Name, string Slug, string Plan) : IApiExample<TenantDto>
    {
        public static TenantDto Example => new(Guid.Parse("01980a3c-5b7e-7d2a-9c41-3f6e2b8d9a10"), "Acme Inc.", "acme", "default");
    }

    public void MapEndpoints(RouteGroupBuilder v1) =>
        v1.MapGet("/tenant", (ITenantContext context) =>
            {
                var tenant = context.Tenant!;
                // Plans arrive with the feature-flags module; until then every workspace is on the one plan.
                return TypedResults.Ok(new TenantDto(tenant.Id, tenant.Name, tenant.Slug, "default"));
            })
            .RequireApiKey()
            .WithName("GetTenant")
            .WithSummary("The workspace the API key belongs to.");
}
