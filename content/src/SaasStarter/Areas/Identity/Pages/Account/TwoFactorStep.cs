using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>What the two second-factor pages (authenticator code, recovery code) share.</summary>
internal static class TwoFactorStep
{
    /// <summary>
    /// No password step is pending (it timed out, or never happened: a bookmark, a second tab): back to the sign-in page,
    /// which says why, rather than the stock pages' InvalidOperationException (a 500).
    /// </summary>
    public static IActionResult StartOver(PageModel page, string? returnUrl)
    {
        page.TempData[nameof(LoginModel.ErrorMessage)] = "Your sign-in timed out. Enter your email and password again.";
        return page.RedirectToPage("./Login", new { ReturnUrl = returnUrl });
    }

    /// <summary>
    /// After a code: on by <see cref="ReturnUrls.AfterSignIn"/> (the stock pages' LocalRedirect was a 500 for a return URL
    /// that is not local), to the lockout page, or the form again with <paramref name="refusal"/>. Every outcome is audited
    /// (LockoutSignInManager).
    /// </summary>
    public static IActionResult Finish(PageModel page, Microsoft.AspNetCore.Identity.SignInResult result, string? returnUrl, string refusal)
    {
        if (result.Succeeded) return page.LocalRedirect(page.Url.AfterSignIn(returnUrl));
        if (result.IsLockedOut) return page.RedirectToPage("./Lockout");
        page.ModelState.AddModelError(string.Empty, refusal);
        return page.Page();
    }
}
