using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using SaasStarter.Accounts;
using SaasStarter.Hosting;
using SaasStarter.Data;
using SaasStarter.Core;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Sign-in through an external provider (none is configured out of the box). Replaces the stock page, which
/// builds the confirmation link for a new account from the request's Host header; ours comes from
/// <see cref="PublicOrigin"/>. Same flow otherwise: challenge the provider, sign in a known login, or ask for
/// an email to create a new account linked to it.
/// </summary>
[AllowAnonymous]
public sealed class ExternalLoginModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IEmailSender emailSender,
    PublicOrigin publicOrigin,
    ILogger<ExternalLoginModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ProviderDisplayName { get; private set; }

    public string? ReturnUrl { get; private set; }

    [TempData]
    public string? ErrorMessage { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public IActionResult OnGet() => RedirectToPage("./Login");

    public async Task<IActionResult> OnPostAsync(string? provider, string? returnUrl = null)
    {
        // Only a provider the app has: a challenge of any other name threw (a 500).
        if (!(await signIn.GetExternalAuthenticationSchemesAsync()).Any(s => s.Name == provider))
        {
            ErrorMessage = "That sign-in provider is not available.";
            return RedirectToPage("./Login", new { ReturnUrl = returnUrl });
        }
        var redirectUrl = Url.Page("./ExternalLogin", pageHandler: "Callback", values: new { returnUrl });
        var properties = signIn.ConfigureExternalAuthenticationProperties(provider, redirectUrl);
        return new ChallengeResult(provider!, properties);
    }

    public async Task<IActionResult> OnGetCallbackAsync(string? returnUrl = null, string? remoteError = null)
    {
        returnUrl = Url.SafeReturnUrl(returnUrl);
        if (remoteError is not null)
        {
            // Cut short: it comes from the query, and a long one would make the TempData cookie too big to send back.
            ErrorMessage = $"Error from external provider: {(remoteError.Length > 200 ? remoteError[..200] + "…" : remoteError)}";
            return RedirectToPage("./Login", new { ReturnUrl = returnUrl });
        }
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            ErrorMessage = "Error loading external login information.";
            return RedirectToPage("./Login", new { ReturnUrl = returnUrl });
        }

        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        if (result.Succeeded)
        {
            logger.LogInformation("{Name} logged in with {LoginProvider} provider.", info.Principal.Identity?.Name, info.LoginProvider);
            return LocalRedirect(returnUrl);
        }
        if (result.IsLockedOut) return RedirectToPage("./Lockout");

        // No account has this login yet: ask for the email of the new one, suggesting the provider's.
        ReturnUrl = returnUrl;
        ProviderDisplayName = info.ProviderDisplayName;
        if (info.Principal.FindFirstValue(ClaimTypes.Email) is { } email)
        {
            Input = new InputModel { Email = email };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmationAsync(string? returnUrl = null)
    {
        returnUrl = Url.SafeReturnUrl(returnUrl);
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            ErrorMessage = "Error loading external login information during confirmation.";
            return RedirectToPage("./Login", new { ReturnUrl = returnUrl });
        }

        if (ModelState.IsValid)
        {
            var email = Input.Email.Trim();
            var user = new AppUser { UserName = email, Email = email };
            var result = await users.CreateAsync(user);
            if (result.Succeeded) result = await users.AddLoginAsync(user, info);
            if (result.Succeeded)
            {
                logger.LogInformation("User created an account using {Name} provider.", info.LoginProvider);
                await SendConfirmationAsync(user, email);

                if (users.Options.SignIn.RequireConfirmedAccount)
                {
                    return RedirectToPage("./RegisterConfirmation", new { email });
                }
                await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
                return LocalRedirect(returnUrl);
            }
            if (result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
            {
                // As Register does: the owner is told, and the answer is the one a new account gets.
                logger.LogInformation("External sign-up attempted with an email that already has an account; the owner was told by email.");
                var owner = await users.FindByEmailAsync(email);
                await ExistingAccountNotice.SendAsync(emailSender, publicOrigin, Url, owner?.Email ?? email);
                return RedirectToPage("./RegisterConfirmation", new { email });
            }
            IdentityErrors.AddTo(ModelState, result);
        }

        ProviderDisplayName = info.ProviderDisplayName;
        ReturnUrl = returnUrl;
        return Page();
    }

    private async Task SendConfirmationAsync(AppUser user, string email)
    {
        var userId = await users.GetUserIdAsync(user);
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        // Base64url, like Register: the stock ConfirmEmail page decodes it this way.
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = publicOrigin.Link(Url.Page("/Account/ConfirmEmail", pageHandler: null,
            values: new { area = "Identity", userId, code })!);

        await emailSender.SendEmailAsync(email, "Confirm your email",
            $"<p>Welcome to {Product.Name}!</p>" +
            $"<p>Please confirm your account by <a href='{HtmlEncoder.Default.Encode(link)}'>clicking here</a>.</p>" +
            $"<p>If you didn't create an account, you can ignore this email.</p>");
    }
}
