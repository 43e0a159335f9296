using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using SaasStarter.Data;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// Reads what an emailed link carries (a user id, a base64url token) without trusting it: a link cut short, mangled by a
/// mail client or made up is an invalid link, answered with <c>_InvalidLink</c>, never an exception (the stock pages
/// answered 500 to a user id that is not a GUID and to a code that is not Base64).
/// </summary>
internal static class EmailLinks
{
    /// <summary>The token in <paramref name="code"/>, or null when there is none to decode.</summary>
    public static string? Token(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The account <paramref name="userId"/> names, or null when it is not a GUID or names none.</summary>
    public static async Task<AppUser?> UserAsync(UserManager<AppUser> users, string? userId) =>
        Guid.TryParse(userId, out var id) ? await users.FindByIdAsync(id.ToString()) : null;
}

/// <summary>What the invalid-link page offers instead: the page that sends a new link, and what to call it.</summary>
public sealed record InvalidLinkOffer(string NewLinkPage, string NewLinkText);
