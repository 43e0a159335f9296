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
using SaasStarter.Core;
using SaasStarter.Tenancy;
using SaasStarter.Data;
using SaasStarter.Tenants;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page, whose form caps passwords at 100 characters (ours allow up to 128) and which
/// answers "already taken" for an email that has an account, telling anyone which addresses are registered.
/// Here a new and a registered email get the same answer, the "check your email" page: a new one gets a
/// confirmation link, a registered one a note that someone tried to sign up with it. Emailed links come from
/// <see cref="PublicOrigin"/>, never from the request's Host header. A new account comes with its first workspace
/// (the user its Owner), created in the same transaction.
/// </summary>
[AllowAnonymous]
public sealed class RegisterModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IEmailSender emailSender,
    PublicOrigin publicOrigin,
    TenantFounding founding,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; private set; }

    public sealed class InputModel : PasswordChoice
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Display(Name = "Workspace name")]
        public string WorkspaceName { get; set; } = "";

        [Display(Name = "Workspace address")]
        public string? WorkspaceSlug { get; set; }
    }

    public void OnGet(string? returnUrl = null) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        returnUrl = Url.SafeReturnUrl(returnUrl);
        if (!ModelState.IsValid) return Page();

        var email = Input.Email.Trim();
        var user = new AppUser { UserName = email, Email = email };

        // The password rules first, for every email alike: a registered email must not be the only one
        // whose weak password goes unremarked.
        var passwordErrors = await PasswordErrorsAsync(user, Input.Password);
        if (passwordErrors.Count > 0)
        {
            IdentityErrors.AddTo(ModelState, IdentityResult.Failed([.. passwordErrors]));
            return Page();
        }

        // The workspace too, for every email alike (a taken address says nothing about accounts).
        var slug = string.IsNullOrWhiteSpace(Input.WorkspaceSlug) ? TenantSlug.Suggest(Input.WorkspaceName) : Input.WorkspaceSlug.Trim();
        Input.WorkspaceSlug = slug;
        var (nameProblem, slugProblem) = await founding.CheckAsync(Input.WorkspaceName, slug);
        if (nameProblem is not null || slugProblem is not null)
        {
            AddWorkspaceErrors(nameProblem, slugProblem);
            return Page();
        }

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            // Spend what creating an account spends (hashing the password), so the answer is not quicker either.
            _ = users.PasswordHasher.HashPassword(user, Input.Password);
            if (!existing.EmailConfirmed)
            {
                // Still unconfirmed: the lost or expired link is the likely reason for coming back, so send a
                // fresh one (to the account's own address; its password stays as it was).
                await SendConfirmationAsync(existing, existing.Email ?? email, returnUrl);
                return RedirectToPage("RegisterConfirmation", new { email, returnUrl });
            }
            return await AccountExistsAsync(existing.Email ?? email, email, returnUrl);
        }

        IdentityResult? created = null;
        var founded = await founding.CreateAsync(Input.WorkspaceName, slug, async () =>
        {
            created = await users.CreateAsync(user, Input.Password);
            return created.Succeeded ? user.Id : null;
        });
        if (created is { Succeeded: false } result)
        {
            // Registered in the meantime (or under this name): the same answer as above.
            if (result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
            {
                return await AccountExistsAsync(email, email, returnUrl);
            }
            IdentityErrors.AddTo(ModelState, result);
            return Page();
        }
        if (!founded.Succeeded)
        {
            AddWorkspaceErrors(founded.Field == "name" ? founded.Problem : null, founded.Field == "slug" ? founded.Problem : null);
            return Page();
        }
        logger.LogInformation("User created a new account with a password.");

        await SendConfirmationAsync(user, email, returnUrl);

        if (users.Options.SignIn.RequireConfirmedAccount)
        {
            return RedirectToPage("RegisterConfirmation", new { email, returnUrl });
        }
        // Without required confirmation a new account is signed in at once, which a registered email cannot
        // match; the app requires confirmation (AccountsModule), so this is for apps that turn it off.
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(returnUrl);
    }

    private void AddWorkspaceErrors(string? nameProblem, string? slugProblem)
    {
        if (nameProblem is not null) ModelState.AddModelError("Input.WorkspaceName", nameProblem);
        if (slugProblem is not null) ModelState.AddModelError("Input.WorkspaceSlug", slugProblem);
    }

    private async Task<List<IdentityError>> PasswordErrorsAsync(AppUser user, string password)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors);
        }
        return errors;
    }

    /// <summary>Tells the account's owner (at its own address) that someone tried to sign up, and answers as for a new account.</summary>
    private async Task<IActionResult> AccountExistsAsync(string ownerEmail, string email, string returnUrl)
    {
        logger.LogInformation("Sign-up attempted with an email that already has an account; the owner was told by email.");
        await ExistingAccountNotice.SendAsync(emailSender, publicOrigin, Url, ownerEmail);

        return users.Options.SignIn.RequireConfirmedAccount
            ? RedirectToPage("RegisterConfirmation", new { email, returnUrl })
            : LocalRedirect(returnUrl);
    }

    private async Task SendConfirmationAsync(AppUser user, string email, string returnUrl)
    {
        var userId = user.Id.ToString();
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        // Base64url, like the stock pages: the stock ConfirmEmail page decodes it this way.
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var link = publicOrigin.Link(Url.Page("/Account/ConfirmEmail", pageHandler: null,
            values: new { area = "Identity", userId, code, returnUrl })!);
        var href = HtmlEncoder.Default.Encode(link);

        await emailSender.SendEmailAsync(email, "Confirm your email",
            $"<p>Welcome to {Product.Name}!</p>" +
            $"<p>Please confirm your account by <a href='{href}'>clicking here</a>.</p>" +
            $"<p>If you didn't create an account, you can ignore this email.</p>");
    }
}
