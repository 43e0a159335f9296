using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.Identity.UI.Services;
using MimeKit;

namespace SaasStarter.Accounts.Email;

/// <summary>Sends through the SMTP server in <c>Email:Smtp</c>.</summary>
internal sealed class SmtpEmailSender(SmtpSettings settings, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email));
        message.Subject = subject;
        message.Body = new TextPart("html") { Text = htmlMessage };

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host, settings.Port,
            settings.StartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "");
        }
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        logger.LogInformation("Email '{Subject}' sent to {To} via {Host}", subject, email, settings.Host);
    }
}
