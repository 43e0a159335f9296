using System.Runtime.ExceptionServices;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SaasStarter.Email;

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

    /// <summary>Sends <paramref name="email"/> with <paramref name="htmlBody"/>, its body in clear (opened only for this).</summary>
    public async Task SendAsync(OutboxEmail email, string htmlBody, CancellationToken cancel)
    {
        // First: an unusable address is this email's own, permanent failure, whatever the server's state.
        var message = Message(email, htmlBody);
        if (connectFailure is not null) ExceptionDispatchInfo.Throw(connectFailure);
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

    /// <summary>
    /// True when sending this email again cannot help: the server answered the envelope or the message (MAIL FROM,
    /// RCPT TO, DATA) with a permanent 5xx reply, or the recipient is not an address. A 4xx reply, a connection,
    /// TLS, sign-in or timeout failure is worth a retry.
    /// </summary>
    // A refused sender (MAIL FROM) is not: it says our Email:Smtp settings or the server are wrong, which an
    // operator fixes, so those emails keep their retries instead of all failing for good.
    public static bool IsPermanent(Exception e) => e switch
    {
        InvalidRecipientException => true,
        SmtpCommandException
        {
            ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted,
        } refused => (int)refused.StatusCode is >= 500 and <= 599,
        _ => false,
    };

    private MimeMessage Message(OutboxEmail email, string htmlBody)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(Recipient(email.To));
        message.Subject = email.Subject;
        message.Body = new TextPart("html") { Text = htmlBody };
        return message;
    }

    /// <summary>The one address of <paramref name="to"/>, with a domain; anything else is no address to send to.</summary>
    private static MailboxAddress Recipient(string to) =>
        MailboxAddress.TryParse(to, out var mailbox) && mailbox.Domain.Length > 0 && mailbox.LocalPart.Length > 0
            ? mailbox
            : throw new InvalidRecipientException($"'{to}' is not an email address.");

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

/// <summary>The email's recipient cannot be parsed as one address: no server will take it, now or later.</summary>
internal sealed class InvalidRecipientException(string message) : Exception(message);
