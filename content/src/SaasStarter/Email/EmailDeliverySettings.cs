using System.ComponentModel.DataAnnotations;
using SaasStarter.Core;

namespace SaasStarter.Email;

/// <summary>
/// The <c>Email</c> section: how emails leave. Through the SMTP server of <c>Email:Smtp</c> when it names a host, otherwise
/// not at all (the dev outbox). <c>Email:Delivery:RetryDelay</c> is the first wait after a failed attempt (10 s by default);
/// later waits grow from it. <c>Email:KeepSentDays</c> is how long an email's row (recipient, subject, status; its body
/// goes as soon as it is sent or given up) stays once it will not be sent any more, counted from when it was stored.
/// </summary>
public sealed record EmailDeliverySettings(
    SmtpSettings? Smtp = null,
    EmailRetrySettings? Delivery = null,
    [property: Range(1, 90, ErrorMessage = "must be a whole number of days from {1} to {2}.")] int KeepSentDays = 7)
{
    public const string Section = "Email";

    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Waits after the 1st, 2nd, 3rd… failure, in units of <see cref="RetryDelay"/>: 10 s, 30 s, 2 min, 10 min, then 1 h each.</summary>
    private static readonly int[] BackoffSteps = [1, 3, 12, 60, 360];

    /// <summary>The SMTP server, when one is configured (a section with an empty host is none).</summary>
    public SmtpSettings? Server => string.IsNullOrWhiteSpace(Smtp?.Host) ? null : Smtp;

    /// <summary>False in the dev outbox set-up: emails are stored and listed, never sent.</summary>
    public bool SendsMail => Server is not null;

    public TimeSpan RetryDelay => Delivery?.RetryDelay ?? DefaultRetryDelay;

    /// <summary>How long to wait after the attempt numbered <paramref name="attempts"/> (1-based) failed.</summary>
    public TimeSpan RetryDelayAfter(int attempts) =>
        RetryDelay * BackoffSteps[Math.Clamp(attempts, 1, BackoffSteps.Length) - 1];

    public static EmailDeliverySettings Read(IConfiguration config) => Settings.Read<EmailDeliverySettings>(config, Section);
}

/// <summary><c>Email:Delivery</c>.</summary>
public sealed record EmailRetrySettings(TimeSpan? RetryDelay = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryDelay is { } delay && (delay <= TimeSpan.Zero || delay > TimeSpan.FromHours(1)))
        {
            yield return new ValidationResult($"'{delay}' is not a time span between 00:00:00.001 and 01:00:00 (e.g. 00:00:10).", [nameof(RetryDelay)]);
        }
    }
}
