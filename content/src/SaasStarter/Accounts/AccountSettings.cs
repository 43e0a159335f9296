using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Accounts;

/// <summary>The <c>Accounts</c> section: <c>SessionLifetime</c> is how long a sign-in lasts, however active.</summary>
public sealed record AccountSettings
{
    public const string Section = "Accounts";

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "must be a time span from {1} to {2}.")]
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);
}
