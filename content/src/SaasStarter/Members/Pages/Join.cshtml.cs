using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;
using SaasStarter.Areas.Identity.Pages.Account;
using SaasStarter.Members.Invitations;
using SaasStarter.Core;
using SaasStarter.Tenancy;
using SaasStarter.Data;

namespace SaasStarter.Members.Pages;

/// <summary>
/// Where an invitation link lands (/join/{token}). A forged or replaced token answers 404, a used, revoked or
/// expired one 410, each with a page that says so. A valid one offers what fits the visitor: join (signed in as the
/// invited email), sign out (signed in as someone else), sign in (the email has an account), or choose a password
/// (it has none; the account is created and joins in one step).
/// </summary>
[AllowAnonymous]
public sealed class JoinModel(InvitationAcceptance acceptance, UserManager<AppUser> users, SignInManager<AppUser> signIn,
    TenancyHosting hosting) : PageModel
{
    public enum Offer
    {
        Invalid,
        Closed,
        Join,
        WrongAccount,
        SignIn,
        CreateAccount,
    }

    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public sealed class PasswordInput : PasswordChoice;

    public InvitationAcceptance.Found? Invitation { get; private set; }
    public Offer Shown { get; private set; }
    public string? SignedInEmail { get; private set; }
    public string? Problem { get; private set; }
    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string token) => await ShowAsync(token);

    public async Task<IActionResult> OnPostAcceptAsync(string token)
    {
        if (await ShowAsync(token) is var shown && Shown != Offer.Join) return shown;
        var outcome = await acceptance.AcceptAsync(Invitation!, (await users.GetUserAsync(User))!);
        return outcome.Succeeded ? Redirect(hosting.Link(Request, Invitation!.Tenant.Slug)) : Refused(outcome.Problem!);
    }

    public async Task<IActionResult> OnPostCreateAccountAsync(string token)
    {
        if (await ShowAsync(token) is var shown && Shown != Offer.CreateAccount) return shown;
        if (!ModelState.IsValid) return Page();
        var (outcome, user, account) = await acceptance.AcceptAsNewUserAsync(Invitation!, Input.Password);
        if (account is { Succeeded: false })
        {
            IdentityErrors.AddTo(ModelState, account);
            return Page();
        }
        if (!outcome.Succeeded) return Refused(outcome.Problem!);
        await signIn.SignInAsync(user!, isPersistent: false);
        return Redirect(hosting.Link(Request, Invitation!.Tenant.Slug));
    }

    /// <summary>Finds the invitation and decides what the visitor is offered; the status code says whether the link works.</summary>
    private async Task<IActionResult> ShowAsync(string token)
    {
        Token = token;
        Invitation = await acceptance.FindAsync(token, HttpContext.RequestAborted);
        if (Invitation is null)
        {
            Shown = Offer.Invalid;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        if (Invitation.State != InvitationState.Open)
        {
            Shown = Offer.Closed;
            Problem = InvitationAcceptance.Explain(Invitation.State);
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        if (signIn.IsSignedIn(User) && await users.GetUserAsync(User) is { } user)
        {
            SignedInEmail = user.Email;
            Shown = acceptance.IsFor(Invitation, user) ? Offer.Join : Offer.WrongAccount;
            return Page();
        }
        Shown = await users.FindByEmailAsync(Invitation.Email) is null ? Offer.CreateAccount : Offer.SignIn;
        return Page();
    }

    /// <summary>Refused at the last moment (revoked, used or suspended meanwhile): the page explains, nothing was written.</summary>
    private PageResult Refused(string problem)
    {
        Shown = Offer.Closed;
        Problem = problem;
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }
}
