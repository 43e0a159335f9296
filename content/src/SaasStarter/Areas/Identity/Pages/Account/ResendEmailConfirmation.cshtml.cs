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
/// Replaces the stock page, which builds the confirmation link from the request's Host header; ours comes
/// from <see cref="PublicOrigin"/>. Same flow otherwise: an email that has an account gets a new link, and
/// every request gets the same "sent" answer, so the form reveals no accounts.
/// </summary>
[AllowAnonymous]
public sealed class ResendEmailConfirmationModel(
    UserManager<AppUser> users,
    IEmailSender emailSender,
    PublicOrigin publicOrigin) : PageModel
{
    public const string SentMessage = "Verification email sent. Please check your email.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>True after a request, whichever email it named.</summary>
    public bool Sent { get; private set; }

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
        if (user is not null)
        {
            var userId = await users.GetUserIdAsync(user);
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            // Base64url, like Register: the stock ConfirmEmail page decodes it this way.
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
            var link = publicOrigin.Link(Url.Page("/Account/ConfirmEmail", pageHandler: null,
                values: new { area = "Identity", userId, code })!);

            await emailSender.SendEmailAsync(user.Email!, "Confirm your email",
                $"<p>Please confirm your {Product.Name} account by <a href='{HtmlEncoder.Default.Encode(link)}'>clicking here</a>.</p>" +
                $"<p>If you didn't ask for this email, you can ignore it.</p>");
        }
        Sent = true;
        return Page();
    }
}
