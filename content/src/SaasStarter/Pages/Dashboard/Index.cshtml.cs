using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SaasStarter.Accounts;
using SaasStarter.Tenancy;
using SaasStarter.Data;

namespace SaasStarter.Pages.Dashboard;

/// <summary>The signed-in home: who you are, how well your account is protected, and where to go next.</summary>
[Authorize]
public sealed class IndexModel(
    UserManager<AppUser> users,
    UserTenants workspaces,
    IOptions<IdentityOptions> identityOptions,
    IOptionsMonitor<CookieAuthenticationOptions> cookieOptions) : PageModel
{
    public string Email { get; private set; } = "";
    public DateTime MemberSinceUtc { get; private set; }
    public bool EmailConfirmed { get; private set; }
    public bool TwoFactorEnabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public bool IsPlatformOperator { get; private set; }
    public IReadOnlyList<UserTenants.Entry> Tenants { get; private set; } = [];

    /// <summary>The protections every account gets, read from the live settings rather than restated.</summary>
    public LockoutOptions Lockout => identityOptions.Value.Lockout;
    public TimeSpan SessionLifetime => cookieOptions.Get(IdentityConstants.ApplicationScheme).ExpireTimeSpan;

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            // The cookie names a user who no longer exists: send them to sign in again.
            return Challenge();
        }

        Email = user.Email ?? user.UserName ?? "";
        MemberSinceUtc = user.CreatedAtUtc;
        EmailConfirmed = user.EmailConfirmed;
        TwoFactorEnabled = user.TwoFactorEnabled;
        RecoveryCodesLeft = TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
        IsPlatformOperator = await users.IsInRoleAsync(user, Roles.PlatformOperator);
        Tenants = await workspaces.OfAsync(user.Id);
        return Page();
    }
}
