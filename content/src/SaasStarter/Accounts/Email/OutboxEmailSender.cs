using Microsoft.AspNetCore.Identity.UI.Services;
using SaasStarter.Data;

namespace SaasStarter.Accounts.Email;

/// <summary>Stores emails for the Development-only outbox page (and for tests) when no SMTP server is set.</summary>
internal sealed class OutboxEmailSender(AppDbContext db, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        db.OutboxEmails.Add(new OutboxEmail { To = email, Subject = subject, HtmlBody = htmlMessage });
        await db.SaveChangesAsync();
        logger.LogInformation("Email '{Subject}' to {To} stored in the dev outbox (no SMTP server configured)", subject, email);
    }
}
