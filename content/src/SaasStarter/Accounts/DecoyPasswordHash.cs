using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using SaasStarter.Data;

namespace SaasStarter.Accounts;

/// <summary>
/// The hash of a password nobody has, checked whenever a sign-in is refused before a real password would be checked
/// (an unknown email, an unconfirmed or locked-out account): the refusal then takes as long as a wrong password's, so
/// its timing does not tell which emails have accounts (OWASP ASVS 5.0, 6.3.8). Made once, with the app's own hasher,
/// so it costs what an account's check costs (same algorithm, same iteration count).
/// </summary>
internal sealed class DecoyPasswordHash
{
    private readonly AppUser nobody = new();
    private string? hash;

    public void Check(IPasswordHasher<AppUser> hasher, string password)
    {
        // Two first calls at once may both make it: either hash serves.
        hash ??= hasher.HashPassword(nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(nobody, hash, password);
    }
}
