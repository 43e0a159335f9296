using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>Turns Identity's error list into messages a person can act on, each shown once.</summary>
internal static class IdentityErrors
{
    public static void AddTo(ModelStateDictionary modelState, IdentityResult result)
    {
        var messages = result.Errors.Select(Friendly).Distinct();
        foreach (var message in messages)
        {
            modelState.AddModelError(string.Empty, message);
        }
    }

    private static string Friendly(IdentityError error) => error.Code switch
    {
        // Identity reports a taken email twice (as user name and as email); one sentence is enough.
        "DuplicateUserName" or "DuplicateEmail" =>
            "An account with this email already exists. Sign in, or reset your password if you forgot it.",
        "InvalidToken" => "This link has expired or was already used. Request a new one.",
        "PasswordMismatch" => "Your current password is not correct.",
        _ => error.Description,
    };
}
