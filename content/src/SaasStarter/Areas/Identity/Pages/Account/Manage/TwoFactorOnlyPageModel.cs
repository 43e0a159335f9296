using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// A settings page that means something only while two-factor is on (turn it off, new recovery codes). For an account
/// without it, every request goes back to the two-factor page with <see cref="WhyNot"/>; the stock pages threw (a 500).
/// </summary>
public abstract class TwoFactorOnlyPageModel(UserManager<AppUser> users) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    protected UserManager<AppUser> Users { get; } = users;

    /// <summary>The signed-in account, two-factor on, for the handlers.</summary>
    protected AppUser Account { get; private set; } = null!;

    protected abstract string WhyNot { get; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var user = await Users.GetUserAsync(User);
        if (user is null)
        {
            context.Result = Challenge();
            return;
        }
        if (!await Users.GetTwoFactorEnabledAsync(user))
        {
            // Straight into TempData: this runs before the filter that saves [TempData] properties ever sees the page.
            TempData[nameof(StatusMessage)] = WhyNot;
            context.Result = RedirectToPage("./TwoFactorAuthentication");
            return;
        }
        Account = user;
        await next();
    }
}
