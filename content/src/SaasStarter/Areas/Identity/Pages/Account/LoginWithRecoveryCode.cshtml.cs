using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// The second step with one of the account's recovery codes instead of the authenticator app; each code works once.
/// Replaces the stock page for the reasons <see cref="LoginWith2faModel"/> gives.
/// </summary>
[AllowAnonymous]
public sealed class LoginWithRecoveryCodeModel(SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter one of your recovery codes.")]
        [StringLength(64, ErrorMessage = "That is not a recovery code.")]
        [DataType(DataType.Text)]
        [Display(Name = "Recovery code")]
        public string RecoveryCode { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync(string? returnUrl = null)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return TwoFactorStep.StartOver(this, returnUrl);
        ReturnUrl = returnUrl;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return TwoFactorStep.StartOver(this, returnUrl);
        ReturnUrl = returnUrl;
        if (!ModelState.IsValid) return Page();

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(Input.RecoveryCode.Replace(" ", "", StringComparison.Ordinal));
        return TwoFactorStep.Finish(this, result, returnUrl, "That recovery code is not valid, or it was already used.");
    }
}
