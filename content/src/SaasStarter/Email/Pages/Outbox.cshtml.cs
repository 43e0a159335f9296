using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Email;
using SaasStarter.Data;

namespace SaasStarter.Email.Pages;

/// <summary>
/// Development only: the emails in the outbox, so a developer (or a browser test) can click the confirmation link
/// while no SMTP server is configured, and see how delivery is doing when one is. Anywhere else the page does not exist.
/// Besides delivery, the one place that opens a stored body (<see cref="OutboxBodies"/>): the selected email's.
/// </summary>
[AllowAnonymous]
public sealed partial class OutboxModel(AppDbContext db, IWebHostEnvironment environment, EmailDeliverySettings delivery,
    OutboxBodies bodies) : PageModel
{
    private const int PageSize = 50;

    /// <summary>True when an SMTP server is configured: emails are sent from here, and each shows how that went.</summary>
    public bool SendsMail => delivery.SendsMail;

    public DateTime NowUtc { get; } = DateTime.UtcNow;

    public OutboxEmailStatus StatusOf(OutboxEmail email) => email.StatusAt(NowUtc);

    public IReadOnlyList<OutboxEmail> Emails { get; private set; } = [];
    public OutboxEmail? Selected { get; private set; }

    /// <summary>The selected email's body in clear; null when it was removed or does not open (<see cref="BodyMissing"/> says which).</summary>
    public string? Body { get; private set; }

    public IReadOnlyList<string> Links { get; private set; } = [];

    /// <summary>Why <see cref="Body"/> is null.</summary>
    public string BodyMissing => Selected?.ProtectedHtmlBody is null
        ? "The body was removed: it is not kept once the email is sent or will not be sent."
        : "The body could not be decrypted: it was changed in the database, or its key is gone.";

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        if (!environment.IsDevelopment()) return NotFound();

        Emails = await db.OutboxEmails.AsNoTracking()
            .OrderByDescending(e => e.CreatedAtUtc)
            .Take(PageSize)
            .ToListAsync();
        Selected = id is null ? Emails.FirstOrDefault() : Emails.FirstOrDefault(e => e.Id == id)
            ?? await db.OutboxEmails.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id);
        if (Selected is not null && bodies.TryOpen(Selected, out var body))
        {
            Body = body;
            Links = ExtractLinks(body);
        }
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
