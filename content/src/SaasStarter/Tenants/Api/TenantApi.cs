using SaasStarter.Api;
using SaasStarter.Api.OpenApi;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

using SaasStarter.Api.Keys;

namespace SaasStarter.Tenants.Api;

/// <summary><c>GET /api/v1/tenant</c>: the workspace the key belongs to (any valid key may ask).</summary>
internal static class TenantApi
{
    public sealed record TenantDto(Guid Id, string Name, string Slug, string Plan) : IApiExample<TenantDto>
    {
        public static TenantDto Example => new(Guid.Parse("01980a3c-5b7e-7d2a-9c41-3f6e2b8d9a10"), "Acme Inc.", "acme", "pro");
    }

    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/tenant", (ITenantContext context, PlanCatalog plans) =>
            {
                var tenant = context.Tenant!;
                // A workspace with no plan of its own (or one since removed from configuration) is on the default plan.
                return TypedResults.Ok(new TenantDto(tenant.Id, tenant.Name, tenant.Slug, plans.Of(tenant.PlanId).Id));
            })
            .RequireApiKey()
            .WithName("GetTenant")
            .WithSummary("The workspace the API key belongs to.");
}
