using Microsoft.AspNetCore.Identity;
using SaasStarter.Data;

namespace SaasStarter.Accounts;

/// <summary>
/// OWASP ASVS 5.0 (6.2.x): at least 12 characters (Identity's RequiredLength), at most 128 (here),
/// and no composition rules, so long passphrases work and nothing nudges users to "Password1!".
/// </summary>
internal sealed class PasswordLengthValidator : IPasswordValidator<AppUser>
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is { Length: > MaxLength }
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooLong",
                Description = $"Passwords must be at most {MaxLength} characters.",
            })
            : IdentityResult.Success);
}
