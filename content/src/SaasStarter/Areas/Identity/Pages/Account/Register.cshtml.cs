using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using SaasStarter.Accounts;
using SaasStarter.Pages.Shared;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page, whose form caps passwords at 100 characters; ours allow up to 128. Same flow:
/// create the user, email a confirmation link, then show the "check your email" page.
/// </summary>
[AllowAnonymous]
public sealed class RegisterModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IEmailSender emailSender,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [MinLength(PasswordRules.MinLength, ErrorMessage = PasswordRules.TooShort)]
        [MaxLength(PasswordRules.MaxLength, ErrorMessage = PasswordRules.TooLong)]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        [Compare(nameof(Password), ErrorMessage = PasswordRules.Mismatch)]
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet(string? returnUrl = null) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        returnUrl = !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/");
        if (!ModelState.IsValid) return Page();

        var email = Input.Email.Trim();
        var user = new AppUser { UserName = email, Email = email };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            IdentityErrors.AddTo(ModelState, result);
            return Page();
        }
        logger.LogInformation("User created a new account with a password.");

        await SendConfirmationAsync(user, email, returnUrl);

        if (users.Options.SignIn.RequireConfirmedAccount)
        {
            return RedirectToPage("RegisterConfirmation", new { email, returnUrl });
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(returnUrl);
    }

    private async Task SendConfirmationAsync(AppUser user, string email, string returnUrl)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        // Base64url, like the stock pages: the stock ConfirmEmail page decodes it this way.
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = Url.Page("/Account/ConfirmEmail", pageHandler: null,
            values: new { area = "Identity", userId = user.Id.ToString(), code, returnUrl },
            protocol: Request.Scheme)!;
        var href = HtmlEncoder.Default.Encode(link);

        await emailSender.SendEmailAsync(email, "Confirm your email",
            $"<p>Welcome to SaasStarter!</p>" +
            $"<p>Please confirm your account by <a href='{href}'>clicking here</a>.</p>" +
            $"<p>If you didn't create an account, you can ignore this email.</p>");
    }
}
