using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page, which sent the browser back with LocalRedirect: that throws on a return URL that is not local
/// (<c>//evil.example</c> was a 500). Signs out on POST only, then goes back by <see cref="ReturnUrls"/> (home for any URL
/// it refuses), or, without a return URL, to this page, which says so.
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<AppUser> signIn, ILogger<LogoutModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        await signIn.SignOutAsync();
        logger.LogInformation("User signed out.");
        // A redirect either way: the next request comes without the auth cookie, so the page it shows is signed out.
        return returnUrl is null ? RedirectToPage() : LocalRedirect(Url.SafeReturnUrl(returnUrl));
    }
}
