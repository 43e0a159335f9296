using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SaasStarter.Members.Invitations;

/// <summary>The secret of an invitation link: 256 bits from a CSPRNG, base64url in the link, SHA-256 hex in the database.</summary>
public static class InvitationToken
{
    public const int HashLength = 64;

    /// <summary>The length of a token as it appears in a link; anything else is forged without a lookup.</summary>
    public const int Length = 43;

    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A plain hash is enough (no salt, no stretching): the token is random and long, so there is nothing to guess
    /// from a leaked hash, and lookups must find the row by it.
    /// </summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
