using Microsoft.AspNetCore.Authentication;
using SaasStarter.Api.Keys;

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
    /// The caller of a rate-limited request: the key the ApiKey scheme accepted (its <see cref="ApiCaller"/>), else the IP
    /// address. The limiter's partitioner is synchronous and authenticating a key is not, so this runs as middleware just
    /// before the limiter and leaves the answer in the request's features. It makes sure the key handler ran, whose result
    /// is cached for the request: on endpoints that need a key authorization has already run it, so no key is looked up
    /// twice; on the few that do not, a valid key still counts against its own buckets and never against an address.
    /// </summary>
    public static async Task<ApiClient> IdentifyAsync(HttpContext http)
    {
        await http.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
        var caller = http.RequestServices.GetRequiredService<ApiCaller>();
        // The plan as the key's cached copy of its tenant has it (no query).
        return caller is { KeyId: { } keyId, Tenant: { } tenant }
            ? new Key(keyId, tenant.Id, tenant.PlanId)
            : new Anonymous(AddressOf(http));
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
}
