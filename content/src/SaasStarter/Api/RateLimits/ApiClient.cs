using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SaasStarter.ApiKeys;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.RateLimits;

/// <summary>Whom a request to the API counts against: a valid API key (and through it its workspace), or else its IP address.</summary>
public abstract record ApiClient
{
    /// <summary>
    /// A key, its workspace and the workspace's plan (null: the default plan), which sets the size of its buckets. The
    /// plan is part of who the caller is, so a workspace moved to another plan counts in new buckets of the new size.
    /// </summary>
    public sealed record Key(Guid KeyId, Guid TenantId, string? PlanId = null) : ApiClient;

    public sealed record Anonymous(string Address) : ApiClient;

    /// <summary>
    /// The caller of a rate-limited request: the key the ApiKey scheme accepted, else the IP address. The limiter's
    /// partitioner is synchronous and authenticating a key is not, so this runs as middleware just before the limiter and
    /// leaves the answer in the request's features. It asks the key handler, whose result is cached for the request: on
    /// endpoints that need a key authorization has already asked, so no key is looked up twice; on the few that do not, a
    /// valid key still counts against its own buckets and never against an address.
    /// </summary>
    public static async Task<ApiClient> IdentifyAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
        if (result.Succeeded && KeyOf(result.Principal) is { } key)
        {
            // The plan as the key's cached copy of its workspace has it (no query): the handler entered that workspace.
            var workspace = http.RequestServices.GetRequiredService<ITenantContext>().Tenant;
            return workspace?.Id == key.TenantId ? key with { PlanId = workspace.PlanId } : key;
        }
        return new Anonymous(AddressOf(http));
    }

    /// <summary>
    /// The client's IP address as the buckets per address count it: the connection's, which the forwarded-headers
    /// middleware has already replaced with the proxy's <c>X-Forwarded-For</c> when <c>ForwardedHeaders:Enabled</c>.
    /// </summary>
    public static string AddressOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        return address?.ToString() ?? "unknown";
    }

    private static Key? KeyOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value, out var keyId)
        && Guid.TryParse(principal?.FindFirst(ApiKeyAuthentication.TenantIdClaim)?.Value, out var tenantId)
            ? new Key(keyId, tenantId)
            : null;
}
