using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// The external providers linked to the account: link another, remove one (while another way to sign in remains).
/// Replaces the stock page, which answered 500 to a provider the app does not have, to a removal without its provider
/// or key, and to a provider callback without a pending link; each now ends on this page with a message.
/// </summary>
[Authorize]
public sealed class ExternalLoginsModel(UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    public IList<UserLoginInfo> CurrentLogins { get; private set; } = [];

    public IList<AuthenticationScheme> OtherLogins { get; private set; } = [];

    public bool ShowRemoveButton { get; private set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        CurrentLogins = await users.GetLoginsAsync(user);
        OtherLogins = [.. (await signIn.GetExternalAuthenticationSchemesAsync()).Where(s => CurrentLogins.All(l => l.LoginProvider != s.Name))];
        ShowRemoveButton = await users.HasPasswordAsync(user) || CurrentLogins.Count > 1;
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveLoginAsync(string? loginProvider, string? providerKey)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        // The last way to sign in stays: without a password, one login must remain.
        var removable = !string.IsNullOrEmpty(loginProvider) && !string.IsNullOrEmpty(providerKey)
            && (await users.HasPasswordAsync(user) || (await users.GetLoginsAsync(user)).Count > 1);
        var result = removable ? await users.RemoveLoginAsync(user, loginProvider!, providerKey!) : IdentityResult.Failed();
        if (!result.Succeeded) return Done("Error: the external login was not removed.");

        await signIn.RefreshSignInAsync(user);
        return Done("The external login was removed.");
    }

    public async Task<IActionResult> OnPostLinkLoginAsync(string? provider)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!(await signIn.GetExternalAuthenticationSchemesAsync()).Any(s => s.Name == provider))
        {
            return Done("Error: that sign-in provider is not available.");
        }

        // Start clean: a half-finished external sign-in must not be linked by mistake.
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        var redirectUrl = Url.Page("./ExternalLogins", pageHandler: "LinkLoginCallback");
        var properties = signIn.ConfigureExternalAuthenticationProperties(provider, redirectUrl, users.GetUserId(User));
        return new ChallengeResult(provider!, properties);
    }

    public async Task<IActionResult> OnGetLinkLoginCallbackAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();

        var info = await signIn.GetExternalLoginInfoAsync(await users.GetUserIdAsync(user));
        if (info is null) return Done("Error: the provider's answer was missing or expired. Try linking again.");

        var result = await users.AddLoginAsync(user, info);
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        return Done(result.Succeeded
            ? "The external login was added."
            : "Error: the external login was not added. An external login can belong to one account only.");
    }

    private RedirectToPageResult Done(string message)
    {
        StatusMessage = message;
        return RedirectToPage();
    }
}
