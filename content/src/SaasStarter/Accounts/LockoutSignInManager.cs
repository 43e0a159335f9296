using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SaasStarter.Data;
using SaasStarter.Audit;

namespace SaasStarter.Accounts;

/// <summary>
/// Counts every failed password towards lockout. The stock Identity pages pass
/// <c>lockoutOnFailure: false</c>; forcing it here covers them and any page written later. Every outcome is
/// written to the audit log of each tenant the user belongs to. A refusal that comes before the password check
/// checks a <see cref="DecoyPasswordHash"/> instead, so that no refusal is quicker than a wrong password's.
/// </summary>
internal sealed class LockoutSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    AuditLog audit,
    DecoyPasswordHash decoy)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>An unknown email: the decoy is checked, then Identity refuses as it always has.</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null) return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);

        decoy.Check(UserManager.PasswordHasher, password);
        // Finds nobody again and refuses, counting the attempt in Identity's sign-in metrics.
        return await base.PasswordSignInAsync(userName, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>Unconfirmed or locked out: refused before the password is checked, so the decoy is checked instead.</summary>
    protected override async Task<SignInResult?> PreSignInCheck(AppUser user)
    {
        var refused = await base.PreSignInCheck(user);
        if (refused is not null) decoy.Check(UserManager.PasswordHasher, "");
        return refused;
    }

    public override async Task<SignInResult> PasswordSignInAsync(AppUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: true);
        // With two-factor on, the password step alone is not a sign-in: the second step records the outcome.
        if (!result.RequiresTwoFactor) await RecordAsync(user, result, "password");
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (user is not null) await RecordAsync(user, result, "authenticator");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        if (user is not null) await RecordAsync(user, result, "recovery code");
        return result;
    }

    private Task RecordAsync(AppUser user, SignInResult result, string method) =>
        audit.AddForUserTenantsAsync(user.Id, user.Email ?? user.UserName ?? "", result switch
        {
            { Succeeded: true } => SignInAudit.Succeeded,
            { IsLockedOut: true } => SignInAudit.LockedOut,
            _ => SignInAudit.Failed,
        }, new { method });

    public override Task<SignInResult> CheckPasswordSignInAsync(AppUser user, string password, bool lockoutOnFailure) =>
        base.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
}
