using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SaasStarter.Data;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// With <c>Email:Smtp</c> set, emails leave through that server (here an in-test <see cref="SmtpSink"/>) and the dev
/// outbox stays empty. Each test needs its own mail server settings, so each makes its own factory.
/// </summary>
public sealed class SmtpEmailTests
{
    private const string Sender = "no-reply@saasstarter.test";

    [Fact]
    public async Task Registration_sends_the_confirmation_link_over_smtp_and_not_to_the_dev_outbox()
    {
        await using var sink = new SmtpSink();
        await using var factory = WithSmtpServer(new SqliteAppFactory(), sink.Port);
        var email = AccountFlows.UniqueEmail("smtp");
        using var session = factory.CreateSession();

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        Assert.True(WebSession.IsRedirect(registered.StatusCode),
            $"Register answered {(int)registered.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(registered))}");
        var sent = Assert.Single(sink.Messages);
        Assert.Equal([email], sent.Recipients);
        Assert.Equal(Sender, sent.From);
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(sent.Data)));
        Assert.Equal("Confirm your email", message.Subject);
        Assert.Equal(email, Assert.Single(message.To.Mailboxes).Address);
        Assert.True(message.HtmlBody is not null, "No HTML body in:\n" + sent.Data);
        var link = AccountFlows.EmailLink(message.HtmlBody);
        Assert.Equal("/Identity/Account/ConfirmEmail", link.AbsolutePath);

        Assert.Equal(0, await OutboxCountAsync(factory));

        // The mailed link is the real one: it confirms the account.
        var confirmed = await session.GetFollowingRedirectsAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The mailed link did not confirm the account");
    }

    [Fact]
    public async Task Registering_while_the_smtp_server_refuses_connections_keeps_the_account()
    {
        await using var factory = WithSmtpServer(new SqliteAppFactory(), ClosedPort());
        var app = factory.InProduction();
        var email = AccountFlows.UniqueEmail("smtp-down");
        using var session = app.CreateSessionAt(ProductionApp.Https);

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        var user = await app.FindUserAsync(email);
        Assert.True(user is not null, $"No account after the failed email; Register answered {(int)registered.StatusCode}");
        Assert.False(user.EmailConfirmed);
        Assert.Empty(await app.OutboxEmailsToAsync(email)); // no silent fallback to the dev outbox either
    }

    /// <summary>
    /// KNOWN APP BUG (fails until fixed): SmtpEmailSender lets MailKit's connection error escape, so Register answers
    /// 500 "Something went wrong" after it has created the account. Trying again cannot help: the email now has an
    /// account, so Register mails the "someone tried to sign up" note instead (and fails the same way while SMTP is down).
    /// Any answer short of a server error passes, e.g. the usual "check your email" page, which offers to resend.
    /// </summary>
    [Fact]
    public async Task Registering_while_the_smtp_server_refuses_connections_answers_without_a_server_error()
    {
        await using var factory = WithSmtpServer(new SqliteAppFactory(), ClosedPort());
        using var session = factory.InProduction().CreateSessionAt(ProductionApp.Https);

        var registered = await AccountFlows.RegisterAsync(session, AccountFlows.UniqueEmail("smtp-down"), AccountFlows.GoodPassword);

        Assert.True((int)registered.StatusCode < 500,
            $"Register answered {(int)registered.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(registered))}");
    }

    private static SqliteAppFactory WithSmtpServer(SqliteAppFactory factory, int port)
    {
        factory.WithSetting("Email:Smtp:Host", "127.0.0.1")
            .WithSetting("Email:Smtp:Port", port.ToString(CultureInfo.InvariantCulture))
            .WithSetting("Email:Smtp:From", $"SaasStarter <{Sender}>")
            .WithSetting("Email:Smtp:StartTls", "false");
        return factory;
    }

    /// <summary>A loopback port that nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task<int> OutboxCountAsync(AppFactory factory) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().OutboxEmails.CountAsync());
}
