using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Tenancy;

/// <summary>Where a tenant's pages live: under <c>/t/{slug}</c> (Path) or at <c>{slug}.{BaseDomain}</c> (Host).</summary>
public enum TenancyMode
{
    Path,
    Host,
}

/// <summary>The <c>Tenancy</c> section (<c>Mode</c>, <c>BaseDomain</c>), read and checked once at start-up.</summary>
public sealed record TenancyHosting(TenancyMode Mode, string? BaseDomain)
{
    public static readonly TenancyHosting PathMode = new(TenancyMode.Path, null);

    public static TenancyHosting Read(IConfiguration config)
    {
        var modeText = config["Tenancy:Mode"];
        if (string.IsNullOrWhiteSpace(modeText)) return PathMode;
        if (!Enum.TryParse<TenancyMode>(modeText.Trim(), ignoreCase: true, out var mode) || !Enum.IsDefined(mode)
            || int.TryParse(modeText, out _))
        {
            throw new ConfigurationError("Tenancy:Mode", $"'{modeText}' is not supported; use Path or Host.");
        }
        return mode == TenancyMode.Path ? PathMode : new(TenancyMode.Host, ReadBaseDomain(config));
    }

    private static string ReadBaseDomain(IConfiguration config)
    {
        var text = config["Tenancy:BaseDomain"]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new ConfigurationError("Tenancy:BaseDomain",
                "is required when Tenancy:Mode is Host: the domain whose subdomains are the tenants (e.g. example.com for acme.example.com).");
        }
        var domain = text.TrimEnd('.').ToLowerInvariant();
        if (Uri.CheckHostName(domain) != UriHostNameType.Dns)
        {
            throw new ConfigurationError("Tenancy:BaseDomain", $"'{text}' is not a bare host name such as example.com (no scheme, port or path).");
        }
        // The sign-in cookie is set for the base domain: browsers refuse one for a single label such as localhost,
        // and drop it when the app is reached outside the domain.
        if (!domain.Contains('.', StringComparison.Ordinal))
        {
            throw new ConfigurationError("Tenancy:BaseDomain",
                $"'{domain}' needs at least two labels (e.g. example.com, or app.localhost on your machine): browsers refuse a sign-in cookie for '{domain}'.");
        }
        if (Uri.TryCreate(config[PublicOrigin.Settings.Key], UriKind.Absolute, out var publicUrl) && !Covers(domain, publicUrl.Host))
        {
            throw new ConfigurationError("Tenancy:BaseDomain",
                $"'{domain}' does not include the host of {PublicOrigin.Settings.Key} ({publicUrl.Host}): sign-in works only on {domain} and its subdomains.");
        }
        return domain;
    }

    /// <summary>The Domain of the cookies every tenant host shares (sign-in, last workspace), or null for host-only cookies.</summary>
    public string? CookieDomain => Mode == TenancyMode.Host ? BaseDomain : null;

    /// <summary>
    /// The slug a tenant host names (<c>acme</c> for acme.example.com, any case, any port), or null: Path mode,
    /// the base domain itself, a deeper subdomain, or a label that cannot be a slug (too short, reserved like www).
    /// </summary>
    public string? TenantOfHost(HostString host)
    {
        if (Mode != TenancyMode.Host || !host.HasValue) return null;
        var name = host.Host.TrimEnd('.');
        if (name.Length <= BaseDomain!.Length + 1 || !name.EndsWith("." + BaseDomain, StringComparison.OrdinalIgnoreCase)) return null;
        var label = name[..^(BaseDomain.Length + 1)].ToLowerInvariant();
        return TenantSlug.Problem(label) is null ? label : null;
    }

    /// <summary>
    /// The link to a tenant's page: <c>/t/acme/members</c> in Path mode, <c>https://acme.example.com/members</c> in
    /// Host mode (the request's scheme and port; the domain from configuration, never from the Host header).
    /// </summary>
    public string Link(HttpRequest request, string slug, string path = "", QueryString query = default)
    {
        if (Mode == TenancyMode.Path) return $"/t/{slug}{path}{query}";
        var port = request.Host.Port is { } p ? $":{p}" : "";
        return $"{request.Scheme}://{slug}.{BaseDomain}{port}{(path.Length == 0 ? "/" : path)}{query}";
    }

    /// <summary>A tenant's address as people read it: <c>/t/acme</c> or <c>acme.example.com</c>.</summary>
    public string Address(string slug) => Mode == TenancyMode.Path ? $"/t/{slug}" : $"{slug}.{BaseDomain}";

    /// <summary>What an address field shows before and after the slug the person types: "/t/" or ".example.com".</summary>
    public (string Before, string After) AddressAround => Mode == TenancyMode.Path ? ("/t/", "") : ("", "." + BaseDomain);

    private static bool Covers(string domain, string host) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
}
