using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces the stock page, which answered 500 to a link whose user id is not a GUID or whose code is not Base64. The
/// link from Manage/Email changes the account's email and, since the email is the user name here, its user name too.
/// A link that does not work gets the invalid-link page with a 400; a change Identity refuses (the address was taken in
/// the meantime) says why, also with a 400.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailChangeModel(UserManager<AppUser> users, SignInManager<AppUser> signIn) : PageModel
{
    public static readonly InvalidLinkOffer Offer = new("./Manage/Email", "Ask for a new link in your account settings");

    public bool Changed { get; private set; }

    public bool LinkInvalid { get; private set; }

    public string NewEmail { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? userId = null, string? email = null, string? code = null)
    {
        var user = await EmailLinks.UserAsync(users, userId);
        var token = EmailLinks.Token(code);
        if (user is null || token is null || string.IsNullOrWhiteSpace(email)) return Refused(linkInvalid: true);

        var result = await users.ChangeEmailAsync(user, email, token);
        if (result.Succeeded) result = await users.SetUserNameAsync(user, email);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) return Refused(linkInvalid: true);
            IdentityErrors.AddTo(ModelState, result);
            return Refused(linkInvalid: false);
        }

        // Only refreshes the cookie of this very user, so the new name shows; a visitor who is someone else stays who they are.
        await signIn.RefreshSignInAsync(user);
        Changed = true;
        NewEmail = email;
        return Page();
    }

    private PageResult Refused(bool linkInvalid)
    {
        LinkInvalid = linkInvalid;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
