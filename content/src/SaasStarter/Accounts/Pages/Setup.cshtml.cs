using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;
using SaasStarter.Accounts.Setup;
using SaasStarter.Core;
using SaasStarter.Data;

namespace SaasStarter.Accounts.Pages;

/// <summary>
/// First run: creates the platform operator. Open only while no operator exists, and only to whoever has the
/// token from the server log; afterwards the page answers 404 as if it never existed.
/// </summary>
[AllowAnonymous]
public sealed class SetupModel(OperatorSetup setup, SetupToken setupToken, UserManager<AppUser> users, SignInManager<AppUser> signIn)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool TokenValid { get; private set; }

    public sealed class InputModel : PasswordChoice
    {
        [Required(ErrorMessage = "Enter the operator's email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await setup.OperatorExistsAsync()) return NotFound();
        return CheckToken() ? Page() : Forbidden();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await setup.OperatorExistsAsync()) return NotFound();
        if (!CheckToken()) return Forbidden();
        if (!ModelState.IsValid) return Page();

        var email = Input.Email.Trim();
        var result = await setup.CreateOperatorAsync(email, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }
            return Page();
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null || await users.GetTwoFactorEnabledAsync(user))
        {
            // A promoted account with two-factor on must pass it: send it through the normal sign-in.
            return RedirectToPage("/Account/Login", new { area = "Identity", returnUrl = Url.Page("/Pages/Dashboard/Index") });
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return RedirectToPage("/Pages/Dashboard/Index");
    }

    private bool CheckToken() => TokenValid = setupToken.Matches(Token);

    // Render the explanation with 403 rather than a bare status, so the person knows where to look.
    private PageResult Forbidden()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
