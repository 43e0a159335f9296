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

namespace SaasStarter.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// Replaces the stock page, which builds its links (confirm a new address, verify the current one) from the
/// request's Host header; ours come from <see cref="PublicOrigin"/>. Same flow otherwise: a new address
/// changes only once its owner opens the link sent to it (the stock ConfirmEmailChange page).
/// </summary>
[Authorize]
public sealed class EmailModel(
    UserManager<AppUser> users,
    IEmailSender emailSender,
    PublicOrigin publicOrigin) : PageModel
{
    public string Email { get; private set; } = "";

    public bool IsEmailConfirmed { get; private set; }

    [TempData]
    public string? StatusMessage { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the new email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "New email")]
        public string NewEmail { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeEmailAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        if (!ModelState.IsValid)
        {
            await LoadAsync(user, keepInput: true);
            return Page();
        }

        var newEmail = Input.NewEmail.Trim();
        var email = await users.GetEmailAsync(user);
        if (string.Equals(newEmail, email, StringComparison.Ordinal))
        {
            StatusMessage = "Your email is unchanged.";
            return RedirectToPage();
        }

        var userId = await users.GetUserIdAsync(user);
        var token = await users.GenerateChangeEmailTokenAsync(user, newEmail);
        // Base64url: the stock ConfirmEmailChange page decodes it this way.
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = publicOrigin.Link(Url.Page("/Account/ConfirmEmailChange", pageHandler: null,
            values: new { area = "Identity", userId, email = newEmail, code })!);

        await emailSender.SendEmailAsync(newEmail, "Confirm your new email",
            $"<p>To use this address for your {Product.Name} account, <a href='{HtmlEncoder.Default.Encode(link)}'>confirm it here</a>.</p>" +
            $"<p>If you didn't ask for this, you can ignore this email.</p>");

        StatusMessage = "Confirmation link to change email sent. Please check your email.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSendVerificationEmailAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        // This form posts no new email; whatever Input says is not this handler's business.
        var email = await users.GetEmailAsync(user);
        if (string.IsNullOrEmpty(email))
        {
            StatusMessage = "Error: your account has no email address to verify.";
            return RedirectToPage();
        }

        var userId = await users.GetUserIdAsync(user);
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        // Base64url: the stock ConfirmEmail page decodes it this way.
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = publicOrigin.Link(Url.Page("/Account/ConfirmEmail", pageHandler: null,
            values: new { area = "Identity", userId, code })!);

        await emailSender.SendEmailAsync(email, "Confirm your email",
            $"<p>Please confirm your {Product.Name} account by <a href='{HtmlEncoder.Default.Encode(link)}'>clicking here</a>.</p>" +
            $"<p>If you didn't ask for this email, you can ignore it.</p>");

        StatusMessage = "Verification email sent. Please check your email.";
        return RedirectToPage();
    }

    private async Task LoadAsync(AppUser user, bool keepInput = false)
    {
        Email = await users.GetEmailAsync(user) ?? "";
        IsEmailConfirmed = await users.IsEmailConfirmedAsync(user);
        if (!keepInput) Input = new InputModel { NewEmail = Email };
    }
}
