using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using SaasStarter.Email;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// Which delivery failures are permanent (the email is failed at once) and which are worth a retry; and the outbox
/// row's own bookkeeping of each outcome. End to end, against a server, in <see cref="EmailDeliveryTests"/>.
/// </summary>
public sealed class EmailDeliveryFailureTests
{
    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 550)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 553)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 554)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 552)]
    public void A_5xx_reply_to_the_envelope_or_the_message_is_permanent(SmtpErrorCode code, int status)
    {
        Assert.True(SmtpMailer.IsPermanent(new SmtpCommandException(code, (SmtpStatusCode)status, "refused")));
    }

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 450)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, 451)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 421)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, 550)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, 452)]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, 554)]
    public void A_4xx_reply_a_refused_sender_or_a_reply_outside_a_transaction_is_retried(SmtpErrorCode code, int status)
    {
        Assert.False(SmtpMailer.IsPermanent(new SmtpCommandException(code, (SmtpStatusCode)status, "later")));
    }

    public static TheoryData<Exception> TemporaryFailures() => new()
    {
        new SocketException((int)SocketError.ConnectionRefused),
        new SslHandshakeException("handshake failed"),
        new AuthenticationException("535 5.7.8 bad credentials"),
        new ServiceNotConnectedException("not connected"),
        new OperationCanceledException(),
        new IOException("connection reset"),
    };

    [Theory]
    [MemberData(nameof(TemporaryFailures))]
    public void Connection_sign_in_and_timeout_failures_are_retried(Exception failure)
    {
        Assert.False(SmtpMailer.IsPermanent(failure));
    }

    [Theory]
    [InlineData("not-an-address@")]
    [InlineData("@example.com")]
    [InlineData("no-domain")]
    [InlineData("two@example.com, addresses@example.com")]
    [InlineData("")]
    public async Task An_unparsable_recipient_is_a_permanent_failure_without_contacting_the_server(string to)
    {
        // Nothing listens on this port: reaching the server would fail differently, and not permanently.
        await using var mailer = new SmtpMailer(new SmtpSettings("127.0.0.1", EmailDelivery.FreePort(), null, null, EmailDelivery.Sender, false));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            mailer.SendAsync(new OutboxEmail { To = to, Subject = "Hello" }, "<p>Hello</p>", CancellationToken.None));

        Assert.True(SmtpMailer.IsPermanent(failure), $"{failure.GetType().Name}: {failure.Message}");
        Assert.Contains("not an email address", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("someone@example.com")]
    [InlineData("Someone Else <someone.else+tag@example.com>")]
    public async Task A_usable_recipient_gets_as_far_as_the_server(string to)
    {
        await using var mailer = new SmtpMailer(new SmtpSettings("127.0.0.1", EmailDelivery.FreePort(), null, null, EmailDelivery.Sender, false));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            mailer.SendAsync(new OutboxEmail { To = to, Subject = "Hello" }, "<p>Hello</p>", CancellationToken.None));

        // Refused by the closed port, so the address was accepted and the server was tried; and that is worth a retry.
        var refused = Assert.IsAssignableFrom<SocketException>(failure);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.False(SmtpMailer.IsPermanent(failure), $"{failure.GetType().Name}: {failure.Message}");
    }

    [Fact]
    public void A_permanent_failure_fails_the_email_after_one_attempt_frees_it_and_removes_its_body()
    {
        var email = NewEmail();
        var now = DateTime.UtcNow;
        email.Claimed(now + SmtpDelivery.ClaimLease);

        email.MarkFailedPermanently(now, "550 5.1.1 no such user");

        Assert.Equal(1, email.Attempts);
        Assert.Equal(now, email.FailedAtUtc);
        Assert.True(email.FailedPermanently);
        Assert.Null(email.ClaimedUntilUtc);
        Assert.Equal(OutboxEmailStatus.Failed, email.StatusAt(now));
        Assert.Null(email.ProtectedHtmlBody);
    }

    [Fact]
    public void A_temporary_failure_keeps_the_email_pending_with_its_body_until_the_last_attempt()
    {
        var email = NewEmail();
        var now = DateTime.UtcNow;

        for (var attempt = 1; attempt < OutboxEmail.MaxAttempts; attempt++)
        {
            email.Claimed(now + SmtpDelivery.ClaimLease);
            email.MarkFailed(now, "connection refused", TimeSpan.FromSeconds(10));
            Assert.Null(email.ClaimedUntilUtc);
            Assert.Null(email.FailedAtUtc);
            Assert.Equal(OutboxEmailStatus.Pending, email.StatusAt(now));
            Assert.True(Bodies.TryOpen(email, out var body) && body == Body, $"The body after attempt {attempt}: {body}");
        }
        email.MarkFailed(now, "connection refused", TimeSpan.FromSeconds(10));

        Assert.Equal(OutboxEmail.MaxAttempts, email.Attempts);
        Assert.Equal(now, email.FailedAtUtc);
        Assert.False(email.FailedPermanently);
        Assert.Equal(OutboxEmailStatus.Failed, email.StatusAt(now));
        Assert.Null(email.ProtectedHtmlBody);
    }

    [Fact]
    public void Sending_removes_the_body()
    {
        var email = NewEmail();

        email.MarkSent(DateTime.UtcNow);

        Assert.Null(email.ProtectedHtmlBody);
        Assert.False(Bodies.TryOpen(email, out _));
    }

    /// <summary>Keys of this test alone; the app's own keys are the same kind, kept in its database.</summary>
    private static readonly OutboxBodies Bodies = new(new EphemeralDataProtectionProvider());

    private const string Body = "<p>Hello <a href='https://app.example.test/join/secret-token'>join</a></p>";

    private static OutboxEmail NewEmail()
    {
        var email = new OutboxEmail { To = "someone@example.com", Subject = "Hello" };
        Bodies.Protect(email, Body);
        Assert.DoesNotContain("secret-token", email.ProtectedHtmlBody, StringComparison.Ordinal);
        return email;
    }

    [Fact]
    public void A_claim_outlasts_one_send()
    {
        Assert.True(SmtpDelivery.ClaimLease > SmtpDelivery.SendLimit + TimeSpan.FromSeconds(15),
            $"Lease {SmtpDelivery.ClaimLease}, send limit {SmtpDelivery.SendLimit}");
    }

    [Theory]
    [InlineData("Acme <no-reply@>")]
    [InlineData("Acme <@acme.test>")]
    public void An_unusable_sender_is_a_configuration_error(string from)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "smtp.example.com",
            ["Email:Smtp:From"] = from,
        }).Build();

        var error = Assert.Throws<ConfigurationError>(() => SmtpSettings.Read(config));

        Assert.Equal("Email:Smtp:From", error.Setting);
    }
}
