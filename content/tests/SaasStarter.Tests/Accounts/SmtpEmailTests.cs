using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SaasStarter.Email;
using SaasStarter.Data;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// With <c>Email:Smtp</c> set, emails leave through that server (here an in-test <see cref="SmtpSink"/>), in the
/// background: each is stored in the outbox first and marked sent once the server took it, so a page never waits on
/// the server, nor fails with it. Each test needs its own mail server settings, so each makes its own factory.
/// Retries and giving up are in <see cref="EmailDeliveryTests"/>.
/// </summary>
public sealed class SmtpEmailTests
{
    private const string Sender = EmailDelivery.Sender;

    [Fact]
    public async Task Registration_sends_the_confirmation_link_over_smtp_and_marks_it_sent()
    {
        await using var sink = new SmtpSink();
        await using var factory = WithSmtpServer(new SqliteAppFactory(), sink.Port);
        var email = AccountFlows.UniqueEmail("smtp");
        using var session = factory.CreateSession();

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(WebSession.IsRedirect(registered.StatusCode),
            $"Register answered {(int)registered.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(registered))}");
        var stored = await EmailDelivery.WaitForEmailAsync(factory, email, e => e.SentAtUtc is not null, "the email to be marked sent");
        await EmailDelivery.UntilRunsUnderWayEndAsync(factory); // a second copy, if any, has arrived by now
        var sent = Assert.Single(sink.Messages);
        Assert.Equal([email], sent.Recipients);
        Assert.Equal(Sender, sent.From);
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(sent.Data)));
        Assert.Equal("Confirm your email", message.Subject);
        Assert.Equal(email, Assert.Single(message.To.Mailboxes).Address);
        Assert.True(message.HtmlBody is not null, "No HTML body in:\n" + sent.Data);
        var link = AccountFlows.EmailLink(message.HtmlBody);
        Assert.Equal("/Identity/Account/ConfirmEmail", link.AbsolutePath);

        Assert.Equal(1, stored.Attempts);
        Assert.Null(stored.LastError);
        Assert.Equal(1, await OutboxCountAsync(factory));

        // The mailed link is the real one: it confirms the account.
        var confirmed = await session.GetFollowingRedirectsAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The mailed link did not confirm the account");
    }

    [Fact]
    public async Task Registering_while_the_smtp_server_refuses_connections_keeps_the_account_and_the_email()
    {
        await using var factory = WithSmtpServer(new SqliteAppFactory(), ClosedPort());
        var app = factory.InProduction();
        var email = AccountFlows.UniqueEmail("smtp-down");
        using var session = app.CreateSessionAt(ProductionApp.Https);

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        var user = await app.FindUserAsync(email);
        Assert.True(user is not null, $"No account after the failed email; Register answered {(int)registered.StatusCode}");
        Assert.False(user.EmailConfirmed);
        // The email waits for the server: tried, failed with a reason, due again later (after 10 s by default).
        var waiting = await EmailDelivery.WaitForEmailAsync(app, email, e => e.Attempts >= 1, "a failed attempt");
        Assert.Null(waiting.SentAtUtc);
        Assert.False(string.IsNullOrWhiteSpace(waiting.LastError), "No error recorded for the failed attempt");
        Assert.Equal(OutboxEmailStatus.Pending, waiting.StatusAt(DateTime.UtcNow));
        Assert.True(waiting.NextAttemptAtUtc > waiting.CreatedAtUtc, $"Next attempt at {waiting.NextAttemptAtUtc:O}");
    }

    /// <summary>
    /// Guards a fixed bug: sending inside the request let MailKit's connection error escape, so Register answered 500
    /// after it had created the account (and retrying could not help: the email then has an account). Now the email
    /// waits in the outbox, and Register answers as usual: the "check your email" page.
    /// </summary>
    [Fact]
    public async Task Registering_while_the_smtp_server_refuses_connections_answers_without_a_server_error()
    {
        await using var factory = WithSmtpServer(new SqliteAppFactory(), ClosedPort());
        using var session = factory.InProduction().CreateSessionAt(ProductionApp.Https);

        var registered = await AccountFlows.RegisterAsync(session, AccountFlows.UniqueEmail("smtp-down"), AccountFlows.GoodPassword);

        Assert.True((int)registered.StatusCode < 500,
            $"Register answered {(int)registered.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(registered))}");
        EmailDelivery.AssertWentToCheckYourEmail(registered, await WebSession.ReadAsync(registered));
    }

    private static SqliteAppFactory WithSmtpServer(SqliteAppFactory factory, int port) => EmailDelivery.WithSmtpServer(factory, port);

    /// <summary>A loopback port that nothing listens on: bound, then released.</summary>
    private static int ClosedPort() => EmailDelivery.FreePort();

    private static Task<int> OutboxCountAsync(AppFactory factory) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().OutboxEmails.CountAsync());
}
