using SaasStarter.Accounts;

namespace SaasStarter.Accounts;

/// <summary>
/// The password rule as every form shows it. The numbers come from <see cref="PasswordLengthValidator"/>,
/// so the hint, the client-side check and the server-side check cannot drift apart.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = PasswordLengthValidator.MinLength;
    public const int MaxLength = PasswordLengthValidator.MaxLength;

    // {1} is the length: MinLength/MaxLength attributes format their message with (name, length).
    public const string TooShort = "Use at least {1} characters.";
    public const string TooLong = "Use at most {1} characters.";
    public const string Mismatch = "The two passwords don't match.";

    public static string Hint { get; } = $"At least {MinLength} characters, and not a common one. Passphrases welcome.";
}
