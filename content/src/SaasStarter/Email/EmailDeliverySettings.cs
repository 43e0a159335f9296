using System.Globalization;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Email;

/// <summary>
/// How emails leave: through the SMTP server of <c>Email:Smtp</c> when it names a host, otherwise not at all (the dev
/// outbox). <c>Email:Delivery:RetryDelay</c> is the first wait after a failed attempt (default 10 s); later waits grow
/// from it. Read and checked once at start-up.
/// </summary>
public sealed record EmailDeliverySettings(SmtpSettings? Smtp, TimeSpan RetryDelay)
{
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Waits after the 1st, 2nd, 3rd… failure, in units of <see cref="RetryDelay"/>: 10 s, 30 s, 2 min, 10 min, then 1 h each.</summary>
    private static readonly int[] BackoffSteps = [1, 3, 12, 60, 360];

    /// <summary>False in the dev outbox set-up: emails are stored and listed, never sent.</summary>
    public bool SendsMail => Smtp is not null;

    /// <summary>How long to wait after the attempt numbered <paramref name="attempts"/> (1-based) failed.</summary>
    public TimeSpan RetryDelayAfter(int attempts) =>
        RetryDelay * BackoffSteps[Math.Clamp(attempts, 1, BackoffSteps.Length) - 1];

    public static EmailDeliverySettings Read(IConfiguration config) =>
        new(SmtpSettings.Read(config), ReadRetryDelay(config));

    private static TimeSpan ReadRetryDelay(IConfiguration config)
    {
        const string key = "Email:Delivery:RetryDelay";
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text)) return DefaultRetryDelay;
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var delay) && delay > TimeSpan.Zero && delay <= TimeSpan.FromHours(1)
            ? delay
            : throw new ConfigurationError(key, $"'{text}' is not a time span between 00:00:00.001 and 01:00:00 (e.g. 00:00:10).");
    }
}
