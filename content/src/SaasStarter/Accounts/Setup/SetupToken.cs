using System.Security.Cryptography;
using System.Text;

namespace SaasStarter.Accounts.Setup;

/// <summary>
/// The one-time token in the setup URL that the first run logs. It lives only in this process's memory:
/// whoever can read the server's log may create the platform operator, nobody else.
/// </summary>
public sealed class SetupToken
{
    public string Value { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public bool Matches(string? candidate) =>
        candidate is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(Value));
}
