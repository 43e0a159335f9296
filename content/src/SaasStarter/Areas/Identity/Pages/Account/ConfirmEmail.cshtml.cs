using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page, which answered 500 to a link whose user id is not a GUID or whose code is not Base64, and
/// redirected to an /Index the area does not have when either was missing. Here every link that does not confirm (made
/// up, cut short, expired) gets the same invalid-link page with a 400, whether or not its user exists; one that confirms
/// says so and offers to sign in, back to where the sign-up started.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(UserManager<AppUser> users) : PageModel
{
    public static readonly InvalidLinkOffer Offer = new("./ResendEmailConfirmation", "Send a new confirmation link");

    public bool Confirmed { get; private set; }

    public string? ReturnUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? userId = null, string? code = null, string? returnUrl = null)
    {
        ReturnUrl = returnUrl;
        var user = await EmailLinks.UserAsync(users, userId);
        var token = EmailLinks.Token(code);
        Confirmed = user is not null && token is not null && (await users.ConfirmEmailAsync(user, token)).Succeeded;
        if (!Confirmed) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
