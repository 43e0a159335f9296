using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using MimeKit;
using Mono.Cecil;
using SaasStarter.Email;
using SaasStarter.Jobs;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// The outbox keeps no link anyone could use: invitation, confirmation and password-reset links travel in email bodies,
/// which are stored encrypted, opened only to send them (and on the Development-only dev outbox), and removed once
/// sent. The table is read as anyone who can query the database reads it: raw SQL, on PostgreSQL as the app's role.
/// Each test needs its own mail server settings, so each makes its own factory.
/// </summary>
public abstract class EmailAtRestTests
{
    protected abstract AppFactory NewFactory();

    [ProviderFact]
    public async Task No_invitation_confirmation_or_reset_link_can_be_read_in_the_outbox_table_and_the_dev_outbox_still_opens_them()
    {
        await using var factory = NewFactory();
        var sent = await LinkEmails.SendAsync(factory);

        var links = new Dictionary<string, Uri>();
        foreach (var to in sent.Recipients) links[to] = await DevOutboxLinkAsync(factory, to);

        LinkEmails.AssertNoneReadable(await factory.OutboxTableAsync(), links.Values);
        await sent.AssertEachLinkWorksAsync(links);
    }

    [ProviderFact]
    public async Task Delivered_emails_carry_working_links_and_leave_no_body_behind()
    {
        await using var sink = new SmtpSink();
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), sink.Port);
        var sent = await LinkEmails.SendAsync(factory);

        foreach (var to in sent.Recipients)
        {
            await EmailDelivery.WaitForEmailAsync(factory, to, e => e.SentAtUtc is not null, $"the email to {to} to be marked sent");
        }
        await EmailDelivery.UntilRunsUnderWayEndAsync(factory);

        var table = await factory.OutboxTableAsync();
        Assert.Equal(3, table.Count);
        Assert.All(table, row => Assert.Null(row[nameof(OutboxEmail.ProtectedHtmlBody)]));
        var links = sent.Recipients.ToDictionary(to => to, to => MailedLink(sink, to));
        LinkEmails.AssertNoneReadable(table, links.Values);
        using var session = factory.CreateSession();
        var page = await session.GetAsync($"/dev/outbox?id={Assert.Single(await factory.OutboxEmailsToAsync(sent.Registered)).Id}");
        Assert.Contains("removed", page.Document.QuerySelector("#outbox-no-body")?.TextContent ?? WebSession.Excerpt(page), StringComparison.Ordinal);
        await sent.AssertEachLinkWorksAsync(links);
    }

    /// <summary>
    /// Someone who can write to the table but lacks the keys cannot make the app send what they want: a body altered,
    /// copied from another email, replaced by clear HTML, or left in place while the recipient is changed to theirs does
    /// not open. Each such email fails for good with its reason, and the rest of the batch goes out.
    /// </summary>
    [ProviderFact]
    public async Task A_body_changed_in_the_database_fails_its_email_for_good_and_the_rest_of_the_batch_goes_out()
    {
        await using var sink = new SmtpSink();
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), sink.Port);
        _ = factory.Services;
        var attacker = AccountFlows.UniqueEmail("attacker");
        var good = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("good"));
        var garbled = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("garbled"));
        garbled.StoreProtectedBody(Flip(garbled.ProtectedHtmlBody!));
        var copied = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("copied"));
        copied.StoreProtectedBody(good.ProtectedHtmlBody!);
        var plain = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("plain"));
        plain.StoreProtectedBody("<p><a href='https://evil.example/login'>Sign in again</a></p>");
        var victim = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("victim"));
        var readdressed = new OutboxEmail { Id = victim.Id, To = attacker, Subject = victim.Subject, CreatedAtUtc = victim.CreatedAtUtc };
        readdressed.StoreProtectedBody(victim.ProtectedHtmlBody!);
        OutboxEmail[] changed = [garbled, copied, plain, readdressed];

        // The changed ones first, so the good one comes after them in the same batch.
        await EmailDelivery.StoreAsync(factory, [.. changed, good]);
        EmailDelivery.Wake(factory);

        await EmailDelivery.WaitForAsync(async () =>
            (await EmailDelivery.ReloadAsync(factory, [.. changed, good])).All(e => e.SentAtUtc is not null || e.FailedAtUtc is not null),
            "every email to be sent or given up");
        await EmailDelivery.UntilRunsUnderWayEndAsync(factory);
        var byId = (await EmailDelivery.ReloadAsync(factory, [.. changed, good])).ToDictionary(e => e.Id);
        Assert.All(changed, email =>
        {
            var row = byId[email.Id];
            Assert.True(row.FailedPermanently, $"{row.To}: Attempts={row.Attempts}, SentAtUtc={row.SentAtUtc:O}, FailedAtUtc={row.FailedAtUtc:O}");
            Assert.Equal(1, row.Attempts);
            Assert.Equal(OutboxBodies.UnreadableError, row.LastError);
            Assert.Null(row.ProtectedHtmlBody);
        });
        Assert.NotNull(byId[good.Id].SentAtUtc);
        var message = Assert.Single(sink.Messages);
        Assert.Equal([good.To], message.Recipients);
        Assert.Empty(sink.RejectedRecipients);
        Assert.All(await EmailDelivery.DeliveryRunsAsync(factory), run => Assert.Equal(JobOutcome.Succeeded, run.Outcome));
    }

    /// <summary>The one link of the newest email to <paramref name="to"/>, as the dev outbox page lists it.</summary>
    private static async Task<Uri> DevOutboxLinkAsync(AppFactory factory, string to)
    {
        var email = Assert.Single(await factory.OutboxEmailsToAsync(to));
        using var session = factory.CreateSession();
        var page = await session.GetAsync($"/dev/outbox?id={email.Id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var link = Assert.Single(page.Document.QuerySelectorAll("#outbox-links a"));
        return new Uri(link.GetAttribute("href")!);
    }

    /// <summary>The link in the message the server received for <paramref name="to"/>.</summary>
    private static Uri MailedLink(SmtpSink sink, string to)
    {
        var received = Assert.Single(sink.Messages, m => m.Recipients.SequenceEqual([to]));
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(received.Data)));
        Assert.True(message.HtmlBody is not null, "No HTML body in:\n" + received.Data);
        return AccountFlows.EmailLink(message.HtmlBody);
    }

    /// <summary>The protected body with one character in its middle changed, as a bit flipped on disk or by hand would.</summary>
    private static string Flip(string body)
    {
        var middle = body.Length / 2;
        return string.Concat(body.AsSpan(0, middle), body[middle] == 'A' ? "B" : "A", body.AsSpan(middle + 1));
    }

    public sealed class OnSqlite : EmailAtRestTests
    {
        protected override AppFactory NewFactory() => new SqliteAppFactory();
    }

    public sealed class OnPostgres : EmailAtRestTests, IRunsOnPostgres
    {
        protected override AppFactory NewFactory() => new PostgresAppFactory();
    }
}

/// <summary>
/// The three emails whose links are worth stealing (an invitation, an email confirmation, a password reset), sent the
/// ways people send them, and what following each link does.
/// </summary>
internal sealed record LinkEmails(AppFactory Factory, string Invited, string Registered, string Resetting)
{
    private const string NewPassword = "a brand new passphrase for the reset";

    public IReadOnlyList<string> Recipients => [Invited, Registered, Resetting];

    public static async Task<LinkEmails> SendAsync(AppFactory factory)
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var invited = AccountFlows.UniqueEmail("invited");
        var invitation = await world.InviteAsync(invited);
        Assert.True(invitation.Succeeded, invitation.Problem);

        var registered = AccountFlows.UniqueEmail("registered");
        using (var visitor = factory.CreateSession())
        {
            var response = await AccountFlows.RegisterAsync(visitor, registered, AccountFlows.GoodPassword);
            EmailDelivery.AssertWentToCheckYourEmail(response, await WebSession.ReadAsync(response));
        }

        var resetting = AccountFlows.UniqueEmail("resetting");
        await factory.CreateConfirmedUserAsync(resetting, AccountFlows.GoodPassword);
        using (var forgetful = factory.CreateSession())
        {
            await AccountFlows.AskForPasswordResetAsync(forgetful, resetting);
        }
        return new LinkEmails(factory, invited, registered, resetting);
    }

    /// <summary>No link, and no token or code of one, anywhere in the table's rows, whatever the column.</summary>
    public static void AssertNoneReadable(List<Dictionary<string, string?>> table, IEnumerable<Uri> links)
    {
        Assert.True(table.Count >= 3, $"{table.Count} rows in OutboxEmails");
        var text = string.Join("\n", table.Select(row => string.Join("; ", row.Select(column => $"{column.Key}={column.Value}"))));
        foreach (var marker in (string[])["/join/", "code=", "ConfirmEmail", "ResetPassword"])
        {
            Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"'{marker}' can be read in OutboxEmails:\n{text}");
        }
        foreach (var secret in links.Select(Secret))
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The secret '{secret}' can be read in OutboxEmails:\n{text}");
        }
    }

    /// <summary>What opens the door: an invitation's token, or the code of a confirmation or reset link.</summary>
    private static string Secret(Uri link)
    {
        if (link.AbsolutePath.StartsWith("/join/", StringComparison.Ordinal)) return link.AbsolutePath["/join/".Length..];
        var code = QueryHelpers.ParseQuery(link.Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code), $"No code in {link}");
        return code;
    }

    /// <summary>Each link does what it is for: the invitation offers to join, the confirmation confirms, the reset sets a password.</summary>
    public async Task AssertEachLinkWorksAsync(IReadOnlyDictionary<string, Uri> links)
    {
        using var invitee = Factory.CreateSession();
        var join = await invitee.GetAsync(links[Invited].PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, join.Status);
        Assert.Equal("CreateAccount", join.Document.QuerySelector("#invitation")?.GetAttribute("data-offer"));

        using var newcomer = Factory.CreateSession();
        var confirmed = await newcomer.GetFollowingRedirectsAsync(links[Registered].PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.True((await Factory.FindUserAsync(Registered))!.EmailConfirmed, "The confirmation link did not confirm the account");

        using var forgetful = Factory.CreateSession();
        await AccountFlows.ResetPasswordAsync(forgetful, links[Resetting], Resetting, NewPassword);
        using var again = Factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, Resetting, NewPassword)), "The reset password does not sign in");
    }
}

/// <summary>
/// Only two places open a stored body: delivery, to send it, and the Development-only dev outbox page. Read from the
/// compiled app (Mono.Cecil): every call of <see cref="OutboxBodies.TryOpen"/>, by the type that makes it (a lambda's or
/// an async method's compiler-generated type counts as the type that contains it).
/// </summary>
public sealed class EmailBodyReadersTests
{
    [Fact]
    public void Only_delivery_and_the_dev_outbox_open_email_bodies()
    {
        using var assembly = AssemblyDefinition.ReadAssembly(typeof(Program).Assembly.Location);
        var readers = assembly.MainModule.GetTypes()
            .SelectMany(type => type.Methods.Where(m => m.HasBody).Select(method => (Type: type, Method: method)))
            .Where(m => m.Method.Body.Instructions.Any(i => i.Operand is MethodReference called
                && called.DeclaringType.FullName == typeof(OutboxBodies).FullName && called.Name == nameof(OutboxBodies.TryOpen)))
            .Select(m => Outermost(m.Type).FullName)
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal([typeof(SaasStarter.Email.Pages.OutboxModel).FullName, typeof(SmtpDelivery).FullName], readers);
    }

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }
}
