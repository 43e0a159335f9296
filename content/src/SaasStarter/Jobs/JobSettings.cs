using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Jobs;

/// <summary>The <c>Jobs</c> section, read and checked once at start-up.</summary>
public sealed record JobSettings(bool Enabled, int HistoryDays, int MaxRetries, TimeSpan FirstRetryDelay, TimeSpan ClusterCheckin)
{
    public static JobSettings Read(IConfiguration config)
    {
        var section = config.GetSection("Jobs");
        return new(
            Enabled: Flag(section, "Enabled", true),
            HistoryDays: Range(section, "HistoryDays", 30, 1, 3650),
            MaxRetries: Range(section, "Retry:MaxAttempts", 3, 0, 20),
            FirstRetryDelay: TimeSpan.FromSeconds(Range(section, "Retry:FirstDelaySeconds", 30, 1, 86_400)),
            ClusterCheckin: TimeSpan.FromSeconds(Range(section, "Cluster:CheckinSeconds", 5, 1, 300)));
    }

    private static bool Flag(IConfigurationSection section, string key, bool fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return bool.TryParse(text, out var value) ? value : throw new ConfigurationError($"Jobs:{key}", $"'{text}' is not true or false.");
    }

    private static int Range(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationError($"Jobs:{key}", $"'{text}' is not a whole number from {min} to {max}.");
        }
        return value;
    }
}
