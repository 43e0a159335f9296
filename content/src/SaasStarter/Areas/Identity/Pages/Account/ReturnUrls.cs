using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// The one rule for where a sign-in, a second factor or a sign-out may send the browser back to: a path on this site
/// (never <c>//host</c>, <c>/\host</c> or an absolute URL, which would make the page an open redirect), written in ASCII,
/// since Kestrel refuses a Location header with any other character (<c>/¿</c> was a 500 after a correct password).
/// Anything else goes to <paramref name="fallback"/>, the home page unless the caller names another.
/// </summary>
internal static class ReturnUrls
{
    public static string SafeReturnUrl(this IUrlHelper url, string? returnUrl, string? fallback = null) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? Ascii(returnUrl) : fallback ?? url.Content("~/");

    /// <summary>Where a completed sign-in (password, authenticator or recovery code) goes: back, or to the dashboard.</summary>
    public static string AfterSignIn(this IUrlHelper url, string? returnUrl) =>
        url.SafeReturnUrl(returnUrl, url.Page("/Pages/Dashboard/Index", new { area = "" }));

    /// <summary>Percent-encodes (as UTF-8) every character outside printable ASCII; a lone surrogate becomes U+FFFD.</summary>
    public static string Ascii(string path)
    {
        if (path.All(c => c is > ' ' and < '\x7f')) return path;
        var ascii = new StringBuilder(path.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in path.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7f)
            {
                ascii.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length]) ascii.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return ascii.ToString();
    }
}
