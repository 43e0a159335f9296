using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account.Manage;

/// <summary>Replaces the account's recovery codes with ten new ones, shown once (the stock ShowRecoveryCodes page).</summary>
[Authorize]
public sealed class GenerateRecoveryCodesModel(UserManager<AppUser> users, ILogger<GenerateRecoveryCodesModel> logger) : TwoFactorOnlyPageModel(users)
{
    private const int CodeCount = 10;

    /// <summary>Read by the stock ShowRecoveryCodes page.</summary>
    [TempData]
    public string[]? RecoveryCodes { get; set; }

    protected override string WhyNot => "Recovery codes come with two-factor authentication: set up an authenticator app first.";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        RecoveryCodes = [.. await Users.GenerateNewTwoFactorRecoveryCodesAsync(Account, CodeCount) ?? []];
        logger.LogInformation("User generated new recovery codes.");
        StatusMessage = "You have new recovery codes. The old ones no longer work.";
        return RedirectToPage("./ShowRecoveryCodes");
    }
}
