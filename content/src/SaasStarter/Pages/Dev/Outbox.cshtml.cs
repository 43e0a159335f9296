using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts.Email;
using SaasStarter.Data;

namespace SaasStarter.Pages.Dev;

/// <summary>
/// Development only: the emails the app "sent" while no SMTP server is configured, so a developer (or a
/// browser test) can click the confirmation link. Anywhere else the page does not exist.
/// </summary>
[AllowAnonymous]
public sealed partial class OutboxModel(AppDbContext db, IWebHostEnvironment environment, IEmailSender emailSender) : PageModel
{
    private const int PageSize = 50;

    /// <summary>False when an SMTP server is configured: new emails are sent, and only older ones are here.</summary>
    public bool KeepsNewEmails => emailSender is OutboxEmailSender;

    public IReadOnlyList<OutboxEmail> Emails { get; private set; } = [];
    public OutboxEmail? Selected { get; private set; }
    public IReadOnlyList<string> Links { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        if (!environment.IsDevelopment()) return NotFound();

        Emails = await db.OutboxEmails.AsNoTracking()
            .OrderByDescending(e => e.CreatedAtUtc)
            .Take(PageSize)
            .ToListAsync();
        Selected = id is null ? Emails.FirstOrDefault() : Emails.FirstOrDefault(e => e.Id == id)
            ?? await db.OutboxEmails.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id);
        Links = Selected is null ? [] : ExtractLinks(Selected.HtmlBody);
        return Page();
    }

    public async Task<IActionResult> OnPostClearAsync()
    {
        if (!environment.IsDevelopment()) return NotFound();
        await db.OutboxEmails.ExecuteDeleteAsync();
        return RedirectToPage();
    }

    /// <summary>The http(s) links of an email, decoded, in order: what a person would click.</summary>
    private static string[] ExtractLinks(string html) =>
        HrefPattern().Matches(html)
            .Select(match => WebUtility.HtmlDecode(match.Groups["url"].Value))
            .Where(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .Distinct()
            .ToArray();

    [GeneratedRegex("""href\s*=\s*(?<q>["'])(?<url>.*?)\k<q>""", RegexOptions.IgnoreCase)]
    private static partial Regex HrefPattern();
}
