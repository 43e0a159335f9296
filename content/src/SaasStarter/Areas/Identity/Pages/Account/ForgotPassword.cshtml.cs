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
using SaasStarter.Hosting;
using SaasStarter.Data;
using SaasStarter.Core;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page, which builds the reset link from the request's Host header: a forged Host would
/// send the victim a genuine email whose link hands the token to another server. The link comes from
/// <see cref="PublicOrigin"/>. Same flow otherwise: only a confirmed account gets an email, and every
/// request ends on the same confirmation page, so the form reveals no accounts.
/// </summary>
[AllowAnonymous]
public sealed class ForgotPasswordModel(
    UserManager<AppUser> users,
    IEmailSender emailSender,
    PublicOrigin publicOrigin) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is not null && await users.IsEmailConfirmedAsync(user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            // Base64url: ResetPassword decodes it this way.
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
            var link = publicOrigin.Link(Url.Page("/Account/ResetPassword", pageHandler: null,
                values: new { area = "Identity", code })!);

            await emailSender.SendEmailAsync(user.Email!, "Reset your password",
                $"<p>Someone asked to reset the password of your {Product.Name} account.</p>" +
                $"<p>To choose a new password, <a href='{HtmlEncoder.Default.Encode(link)}'>click here</a>.</p>" +
                $"<p>If it wasn't you, you can ignore this email: your password stays as it is.</p>");
        }
        return RedirectToPage("./ForgotPasswordConfirmation");
    }
}
