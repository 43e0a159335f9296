using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;
using SaasStarter.Core;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page (100-character cap) so passwords up to 128 work. Reached from the emailed link;
/// an unknown email gets the same confirmation as a known one, so the form reveals no accounts.
/// </summary>
[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<AppUser> users) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public static readonly InvalidLinkOffer Offer = new("./ForgotPassword", "Request a new reset link");

    /// <summary>False when the page was opened without the code from the email, or with one that is not Base64.</summary>
    public bool HasCode { get; private set; } = true;

    public sealed class InputModel : PasswordChoice
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required]
        public string Code { get; set; } = "";
    }

    public IActionResult OnGet(string? code = null)
    {
        // The emailed link carries the token base64url-encoded, as ForgotPassword writes it.
        var token = EmailLinks.Token(code);
        if (token is null)
        {
            HasCode = false;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Input = new InputModel { Code = token };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null) return RedirectToPage("./ResetPasswordConfirmation");

        var result = await users.ResetPasswordAsync(user, Input.Code, Input.Password);
        if (result.Succeeded) return RedirectToPage("./ResetPasswordConfirmation");

        IdentityErrors.AddTo(ModelState, result);
        return Page();
    }
}
