using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace SaasStarter.Hosting;

/// <summary>
/// <c>ForwardedHeaders</c>: behind a TLS proxy (<c>Enabled</c>) the client's address and scheme come from the proxy's
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, but only on a connection from a source the settings name: a proxy
/// (<c>KnownProxies</c>, addresses) or a network of them (<c>KnownNetworks</c>, CIDR). Anyone else's headers are ignored,
/// or a client could pick a fresh address for each request and never meet a limit per address. Trusting every source
/// (the proxy is the only way in) has to be said outright: <c>KnownNetworks</c> 0.0.0.0/0 and ::/0.
/// </summary>
public sealed record ForwardedHeadersSettings(bool Enabled = false) : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    // Lists as properties, not constructor parameters: the binder cannot pass an empty JSON array (which configuration
    // holds as an empty string) to a constructor's array parameter, but binds it to a property as no entries.
    public string[] KnownProxies { get; init; } = [];

    public string[] KnownNetworks { get; init; } = [];

    /// <summary>The listed proxies; a blank entry (a variable set to nothing) lists nothing.</summary>
    private IEnumerable<string> Proxies => KnownProxies.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim());

    private IEnumerable<string> Networks => KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim());

    /// <summary>The listed networks that hold every address (prefix length 0), for the start-up warning.</summary>
    public IReadOnlyList<string> EverySource => [.. Networks.Where(n => IPNetwork.TryParse(n, out var network) && network.PrefixLength == 0)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in Proxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new($"'{proxy}' is not an IP address (e.g. 10.0.0.5).", [nameof(KnownProxies)]);
        }
        foreach (var network in Networks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new($"'{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
        if (Enabled && !Proxies.Any() && !Networks.Any())
        {
            yield return new(
                $"neither it nor {Section}:{nameof(KnownNetworks)} names the proxy, so {Section}:{nameof(Enabled)} would take any " +
                "client's word for its address. List the proxy's address (e.g. 10.0.0.5) or its network (e.g. 10.0.0.0/8); if " +
                $"the proxy truly is the only way in, say so with {Section}:{nameof(KnownNetworks)} 0.0.0.0/0 and ::/0.",
                [nameof(KnownProxies)]);
        }
    }

    /// <summary>What the forwarded-headers middleware believes, and from whom (the framework's loopback default replaced).</summary>
    public void Apply(ForwardedHeadersOptions options)
    {
        // Not X-Forwarded-Host: links come from App:PublicUrl, and a forwarded host would dodge AllowedHosts.
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in Proxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in Networks) options.KnownIPNetworks.Add(IPNetwork.Parse(network));
    }
}
