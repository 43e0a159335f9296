using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account.Manage;

/// <summary>Turns two-factor sign-in off; the authenticator key stays (ResetAuthenticator replaces it).</summary>
[Authorize]
public sealed class Disable2faModel(UserManager<AppUser> users, ILogger<Disable2faModel> logger) : TwoFactorOnlyPageModel(users)
{
    protected override string WhyNot => "Two-factor authentication is already off.";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await Users.SetTwoFactorEnabledAsync(Account, false);
        StatusMessage = result.Succeeded
            ? "Two-factor authentication is off. Set up an authenticator app to turn it on again."
            : "Error: two-factor authentication could not be turned off. Please try again.";
        if (result.Succeeded) logger.LogInformation("User turned two-factor authentication off.");
        return RedirectToPage("./TwoFactorAuthentication");
    }
}
