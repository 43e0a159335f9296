using Microsoft.AspNetCore.Identity.UI.Services;
using SaasStarter.Data;

namespace SaasStarter.Email;

/// <summary>
/// The app's one <see cref="IEmailSender"/>: it stores the email in the outbox, its body encrypted
/// (<see cref="OutboxBodies"/>), and returns, so a page never waits on (or fails with) the mail server. The job
/// <see cref="SmtpDelivery"/>, woken at once, sends it when an SMTP server is configured; without one it stays in the
/// outbox, which the Development-only dev outbox page lists.
/// </summary>
internal sealed class OutboxEmailSender(AppDbContext db, OutboxBodies bodies, OutboxSignal signal, EmailDeliverySettings settings,
    ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var stored = new OutboxEmail { To = email, Subject = subject };
        bodies.Protect(stored, htmlMessage);
        db.OutboxEmails.Add(stored);
        await db.SaveChangesAsync();
        if (settings.SendsMail)
        {
            signal.Poke();
            logger.LogInformation("Email {EmailId} '{Subject}' to {To} queued for delivery", stored.Id, subject, email);
        }
        else
        {
            logger.LogInformation("Email {EmailId} '{Subject}' to {To} stored in the dev outbox (no SMTP server configured)",
                stored.Id, subject, email);
        }
    }
}
