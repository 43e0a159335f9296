using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// The second step for an account with an authenticator app. Replaces the stock page, which answered 500 when no password
/// step was pending and sent the browser on with LocalRedirect (a 500 for a return URL that is not local or not ASCII);
/// here those go to <see cref="TwoFactorStep"/>. Codes count towards lockout.
/// </summary>
[AllowAnonymous]
public sealed class LoginWith2faModel(SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>The password step's "keep me signed in", carried through this step.</summary>
    public bool RememberMe { get; private set; }

    public string? ReturnUrl { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the code from your authenticator app.")]
        [StringLength(7, MinimumLength = 6, ErrorMessage = "The code has 6 digits.")]
        [DataType(DataType.Text)]
        [Display(Name = "Authenticator code")]
        public string TwoFactorCode { get; set; } = "";

        [Display(Name = "Don't ask again on this browser")]
        public bool RememberMachine { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(bool rememberMe = false, string? returnUrl = null)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return TwoFactorStep.StartOver(this, returnUrl);
        RememberMe = rememberMe;
        ReturnUrl = returnUrl;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(bool rememberMe = false, string? returnUrl = null)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return TwoFactorStep.StartOver(this, returnUrl);
        RememberMe = rememberMe;
        ReturnUrl = returnUrl;
        if (!ModelState.IsValid) return Page();

        var code = Input.TwoFactorCode.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, rememberMe, Input.RememberMachine);
        return TwoFactorStep.Finish(this, result, returnUrl, "Invalid authenticator code.");
    }
}
