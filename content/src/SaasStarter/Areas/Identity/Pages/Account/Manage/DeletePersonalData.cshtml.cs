using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// Deletes the account after its password is typed again. Replaces the stock page, which checked the password without
/// validating the form first: a post without one was an ArgumentNullException (a 500).
/// </summary>
[Authorize]
public sealed class DeletePersonalDataModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, ILogger<DeletePersonalDataModel> logger)
    : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>False for an account that signs in only through an external provider: it has no password to type.</summary>
    public bool RequirePassword { get; private set; }

    public sealed class InputModel
    {
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string? Password { get; set; }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        RequirePassword = await users.HasPasswordAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        RequirePassword = await users.HasPasswordAsync(user);
        if (RequirePassword && string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", "Enter your password.");
        }
        if (!ModelState.IsValid) return Page();
        if (RequirePassword && !await users.CheckPasswordAsync(user, Input.Password!))
        {
            ModelState.AddModelError(string.Empty, "Incorrect password.");
            return Page();
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);
            return Page();
        }
        await signIn.SignOutAsync();
        logger.LogInformation("User deleted their account.");
        return Redirect("~/");
    }
}
