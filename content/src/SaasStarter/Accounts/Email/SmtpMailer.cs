using System.Runtime.ExceptionServices;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SaasStarter.Accounts.Email;

/// <summary>
/// One SMTP session through the server in <c>Email:Smtp</c>, for one batch of emails: it connects (and signs in) on
/// first use, and again after a failure. Once connecting has failed, the rest of the batch fails with the same
/// error at once instead of waiting out another connection timeout each.
/// </summary>
internal sealed class SmtpMailer(SmtpSettings settings) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SmtpClient client = new() { Timeout = (int)Timeout.TotalMilliseconds };
    private Exception? connectFailure;

    public async Task SendAsync(OutboxEmail email, CancellationToken cancel)
    {
        if (connectFailure is not null) ExceptionDispatchInfo.Throw(connectFailure);
        var message = Message(email);
        if (!client.IsConnected)
        {
            try
            {
                await ConnectAsync(cancel);
            }
            catch (Exception e) when (!cancel.IsCancellationRequested)
            {
                connectFailure = e;
                throw;
            }
        }

        try
        {
            await client.SendAsync(message, cancel);
        }
        catch
        {
            // Whatever state the session is in now, the next email starts a clean one.
            await DisconnectAsync();
            throw;
        }
    }

    private MimeMessage Message(OutboxEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.Body = new TextPart("html") { Text = email.HtmlBody };
        return message;
    }

    private async Task ConnectAsync(CancellationToken cancel)
    {
        await client.ConnectAsync(settings.Host, settings.Port,
            settings.StartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancel);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancel);
        }
    }

    private async Task DisconnectAsync()
    {
        if (!client.IsConnected) return;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.DisconnectAsync(quit: true, limit.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Closing politely is a courtesy; a dropped connection is closed all the same.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        client.Dispose();
    }
}
