using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SaasStarter.Api.Keys;

/// <summary>
/// The shape of a key: <c>sk_live_{public id}_{secret}</c>. The prefix makes a leaked key recognisable to secret
/// scanners; the public id (12 lowercase letters and digits) finds the row without revealing anything; the secret is
/// 256 bits from a CSPRNG, base64url. Only SHA-256 of the secret is stored (it is random, so no salt or stretching).
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "sk_live_";
    public const int PublicIdLength = 12;
    private const int SecretLength = 43;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public sealed record Parts(string PublicId, string Secret);

    public static (string Key, string PublicId, string SecretHash) New()
    {
        var publicId = RandomNumberGenerator.GetString(Alphabet, PublicIdLength);
        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{publicId}_{secret}", publicId, Hash(secret));
    }

    /// <summary>The parts of a well-formed key, or null: anything else is refused without a lookup.</summary>
    public static Parts? Parse(string? key)
    {
        if (key is null || key.Length != Prefix.Length + PublicIdLength + 1 + SecretLength || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var publicId = key.Substring(Prefix.Length, PublicIdLength);
        if (key[Prefix.Length + PublicIdLength] != '_' || !publicId.All(Alphabet.Contains)) return null;
        var secret = key[(Prefix.Length + PublicIdLength + 1)..];
        return secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? new Parts(publicId, secret) : null;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant time, so response timing says nothing about how much of a guessed secret was right.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
