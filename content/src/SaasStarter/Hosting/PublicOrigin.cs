using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SaasStarter.Core;

namespace SaasStarter.Hosting;

/// <summary>
/// The address users reach the app at (<c>App:PublicUrl</c>). Every link that leaves the app (emails,
/// the setup URL) is built from it, never from the request's Host header, which a client can forge to
/// have a password-reset link point at its own server. Required outside Development; in Development it
/// defaults to the address the server listens on.
/// </summary>
public sealed class PublicOrigin(IServer server, PublicOrigin.Settings settings)
{
    public sealed record Settings(Uri? Configured)
    {
        public const string Key = "App:PublicUrl";

        public static Settings Read(IConfiguration config, IHostEnvironment environment)
        {
            var text = config[Key];
            if (string.IsNullOrWhiteSpace(text))
            {
                return environment.IsDevelopment()
                    ? new Settings(Configured: null)
                    : throw new ConfigurationError(Key,
                        "is required outside Development: the address users reach the app at, e.g. https://app.example.com.");
            }
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                throw new ConfigurationError(Key, $"'{text}' is not an http(s) origin such as https://app.example.com (no path).");
            }
            return new Settings(uri);
        }
    }

    public Uri BaseUri => settings.Configured ?? ListeningAddress();

    /// <summary>An absolute URL for a path the app generated, e.g. from <c>Url.Page(...)</c>.</summary>
    public string Link(string pathAndQuery) => new Uri(BaseUri, pathAndQuery).ToString();

    private Uri ListeningAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        address = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        return new Uri(address.TrimEnd('/') + "/");
    }
}
