namespace SaasStarter.Core;

/// <summary>
/// A setting that stops the app from starting. Program prints it as one line naming the setting and
/// exits with code 2, so a typo in an environment variable never becomes a half-working server.
/// </summary>
public sealed class ConfigurationError(string setting, string problem) : Exception($"{setting}: {problem}")
{
    public string Setting { get; } = setting;
}
