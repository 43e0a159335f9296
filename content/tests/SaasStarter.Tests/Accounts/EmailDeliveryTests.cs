using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Email;
using SaasStarter.Data;
using SaasStarter.Hosting;
using SaasStarter.Jobs;
using Quartz;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// Every email goes to the outbox first; with <c>Email:Smtp</c> set, the job email-outbox sends it, retries it with
/// growing waits while the server is down, and gives up after <see cref="OutboxEmail.MaxAttempts"/>. The dev outbox page
/// shows where each email stands. Each test needs its own mail server settings, so each makes its own factory.
/// </summary>
public abstract class EmailDeliveryTests
{
    protected abstract AppFactory NewFactory();

    [ProviderFact]
    public async Task An_email_the_server_refuses_is_retried_and_delivered_once_it_answers()
    {
        var port = EmailDelivery.FreePort();
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), port).WithSetting("Email:Delivery:RetryDelay", "00:00:00.200");
        var email = AccountFlows.UniqueEmail("retry");
        using var session = factory.CreateSession();

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        EmailDelivery.AssertWentToCheckYourEmail(registered, await WebSession.ReadAsync(registered));
        var failed = await EmailDelivery.WaitForEmailAsync(factory, email, e => e.Attempts >= 1, "a failed attempt");
        Assert.Null(failed.SentAtUtc);
        Assert.False(string.IsNullOrWhiteSpace(failed.LastError), "No error recorded for the failed attempt");
        Assert.Equal(OutboxEmailStatus.Pending, failed.StatusAt(DateTime.UtcNow));
        var pendingPage = await session.GetAsync($"/dev/outbox?id={failed.Id}");
        Assert.Equal("pending", pendingPage.Document.QuerySelector("#outbox-status")?.TextContent.Trim());
        Assert.False(string.IsNullOrWhiteSpace(pendingPage.Document.QuerySelector("#outbox-error")?.TextContent),
            "The dev outbox shows no error: " + WebSession.Excerpt(pendingPage));

        // The server comes up on the configured port.
        await using var sink = new SmtpSink();
        await using var relay = new LoopbackRelay(port, sink.Port);
        var sent = await EmailDelivery.WaitForEmailAsync(factory, email, e => e.SentAtUtc is not null, "the email to be marked sent");

        Assert.True(sent.Attempts >= 2, $"Sent at attempt {sent.Attempts}, after a failure");
        Assert.Null(sent.LastError);
        Assert.Equal(OutboxEmailStatus.Sent, sent.StatusAt(DateTime.UtcNow));
        var sentPage = await session.GetAsync($"/dev/outbox?id={sent.Id}");
        Assert.Equal("sent", sentPage.Document.QuerySelector("#outbox-status")?.TextContent.Trim());
        Assert.Null(sentPage.Document.QuerySelector("#outbox-error"));

        // Once, and only once: any run that could still send it has ended.
        await EmailDelivery.UntilRunsUnderWayEndAsync(factory);
        var message = Assert.Single(sink.Messages);
        Assert.Equal([email], message.Recipients);
    }

    [ProviderFact]
    public async Task An_email_is_given_up_after_the_last_attempt_and_kept()
    {
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), EmailDelivery.FreePort())
            .WithSetting("Email:Delivery:RetryDelay", "00:00:00.001");
        var email = AccountFlows.UniqueEmail("give-up");
        using var session = factory.CreateSession();

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        EmailDelivery.AssertWentToCheckYourEmail(registered, await WebSession.ReadAsync(registered));
        var failed = await EmailDelivery.WaitForEmailAsync(factory, email, e => e.Attempts >= OutboxEmail.MaxAttempts,
            $"{OutboxEmail.MaxAttempts} attempts");
        Assert.Equal(OutboxEmailStatus.Failed, failed.StatusAt(DateTime.UtcNow));
        Assert.Null(failed.SentAtUtc);
        Assert.False(string.IsNullOrWhiteSpace(failed.LastError));
        var page = await session.GetAsync($"/dev/outbox?id={failed.Id}");
        Assert.Equal("failed", page.Document.QuerySelector("#outbox-status")?.TextContent.Trim());

        // Given up for good: a run that started after the wait another retry would have had has not tried it.
        await EmailDelivery.RunStartedAfterAsync(factory, failed.FailedAtUtc!.Value + factory.Services.GetRequiredService<EmailDeliverySettings>().RetryDelayAfter(OutboxEmail.MaxAttempts));
        var later = Assert.Single(await factory.OutboxEmailsToAsync(email));
        Assert.Equal(OutboxEmail.MaxAttempts, later.Attempts);
    }

    [ProviderFact]
    public async Task Without_an_smtp_server_emails_stay_unsent_in_the_dev_outbox()
    {
        await using var factory = NewFactory();
        var email = AccountFlows.UniqueEmail("kept");
        using var session = factory.CreateSession();

        var registered = await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);

        EmailDelivery.AssertWentToCheckYourEmail(registered, await WebSession.ReadAsync(registered));
        // Nothing can send it: without a server the app has no delivery job at all.
        Assert.Null(factory.Services.GetRequiredService<JobCatalog>().Find(SmtpDelivery.Definition.Name));
        var kept = Assert.Single(await factory.OutboxEmailsToAsync(email));
        Assert.Null(kept.SentAtUtc);
        Assert.Equal(0, kept.Attempts);
        Assert.Null(kept.LastError);
        var page = await session.GetAsync($"/dev/outbox?id={kept.Id}");
        Assert.Equal(email, page.Document.QuerySelector("#outbox-to")?.TextContent);
        Assert.Null(page.Document.QuerySelector("#outbox-status"));
        Assert.Empty(page.Document.QuerySelectorAll(".outbox-status"));
    }

    /// <summary>
    /// The compose sample runs two replicas on one database: both deliver, and each email must leave once. Both wake
    /// at the same moment on the same 20 due emails, the worst case for a race.
    /// </summary>
    [ProviderFact]
    public async Task Two_replicas_on_one_database_send_each_email_exactly_once()
    {
        const int count = 20;
        await using var sink = new SmtpSink();
        await using var first = EmailDelivery.WithSmtpServer(NewFactory(), sink.Port);
        _ = first.Services; // started and migrated before the second replica starts on the same database
        await using var second = EmailDelivery.OnSameDatabase(NewFactory(), first);
        _ = second.Services;
        var recipients = Enumerable.Range(1, count).Select(i => AccountFlows.UniqueEmail($"replica-{i}")).ToList();

        var queued = await EmailDelivery.QueueAsync(first, recipients);
        EmailDelivery.Wake(first, second);

        await EmailDelivery.WaitForAsync(async () => (await EmailDelivery.ReloadAsync(first, queued)).All(e => e.SentAtUtc is not null),
            "every email to be marked sent", () => $"{sink.Messages.Count} message(s) at the server");
        // A late duplicate could only come from a run that read the emails before they were marked sent.
        await EmailDelivery.UntilRunsUnderWayEndAsync(first); // both replicas' runs: they share the job store
        var received = sink.Messages.SelectMany(m => m.Recipients).GroupBy(to => to).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(recipients.Order(), received.Keys.Order());
        Assert.All(received, pair => Assert.True(pair.Value == 1, $"{pair.Key} received {pair.Value} times"));
        Assert.Equal(count, sink.Messages.Count);
        var sent = await EmailDelivery.ReloadAsync(first, queued);
        Assert.All(sent, e =>
        {
            Assert.Equal(1, e.Attempts);
            Assert.Null(e.ClaimedUntilUtc);
            Assert.Equal(OutboxEmailStatus.Sent, e.StatusAt(DateTime.UtcNow));
        });
    }

    /// <summary>
    /// A 5xx reply to RCPT TO (an unknown mailbox) or an address that cannot be parsed will not get better: the email is
    /// failed at its first attempt, and the rest of the batch goes out. A 4xx reply is temporary, and retried.
    /// </summary>
    [ProviderFact]
    public async Task An_email_refused_for_good_fails_at_once_and_the_rest_of_its_batch_goes_out()
    {
        var unknown = AccountFlows.UniqueEmail("no-such-user");
        var busy = AccountFlows.UniqueEmail("mailbox-busy");
        const string unparsable = "not-an-address@";
        await using var sink = new SmtpSink(rejectRecipients: [unknown], deferRecipients: [busy]);
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), sink.Port)
            .WithSetting("Email:Delivery:RetryDelay", "00:00:00.050");
        _ = factory.Services;
        var good = Enumerable.Range(1, 4).Select(i => AccountFlows.UniqueEmail($"good-{i}")).ToList();

        var queued = await EmailDelivery.QueueAsync(factory, [good[0], unknown, good[1], unparsable, busy, good[2], good[3]]);
        EmailDelivery.Wake(factory);

        await EmailDelivery.WaitForAsync(async () =>
        {
            var emails = await EmailDelivery.ReloadAsync(factory, queued);
            return emails.Count(e => e.SentAtUtc is not null) == good.Count && emails.Count(e => e.FailedAtUtc is not null) == 2
                && emails.Single(e => e.To == busy).Attempts >= 3;
        }, "the good emails sent, the refused ones failed, the deferred one retried",
            () => string.Join("; ", sink.Messages.SelectMany(m => m.Recipients)));
        // A retry of a failed email would come in a run after its first retry's wait: one has run.
        var failedAt = (await EmailDelivery.ReloadAsync(factory, queued)).Max(e => e.FailedAtUtc ?? DateTime.MinValue);
        await EmailDelivery.RunStartedAfterAsync(factory, failedAt + factory.Services.GetRequiredService<EmailDeliverySettings>().RetryDelayAfter(1));

        var byRecipient = (await EmailDelivery.ReloadAsync(factory, queued)).ToDictionary(e => e.To);
        var refused = byRecipient[unknown];
        Assert.Equal(1, refused.Attempts);
        Assert.NotNull(refused.FailedAtUtc);
        Assert.True(refused.FailedPermanently);
        Assert.Null(refused.SentAtUtc);
        Assert.Equal(OutboxEmailStatus.Failed, refused.StatusAt(DateTime.UtcNow));
        Assert.Contains("550", refused.LastError, StringComparison.Ordinal);
        Assert.Contains("no such user", refused.LastError, StringComparison.Ordinal);
        Assert.Equal(unknown, Assert.Single(sink.RejectedRecipients, to => to == unknown));

        var malformed = byRecipient[unparsable];
        Assert.Equal(1, malformed.Attempts);
        Assert.Equal(OutboxEmailStatus.Failed, malformed.StatusAt(DateTime.UtcNow));
        Assert.Contains("not an email address", malformed.LastError, StringComparison.Ordinal);

        var deferred = byRecipient[busy];
        Assert.Null(deferred.FailedAtUtc);
        Assert.Equal(OutboxEmailStatus.Pending, deferred.StatusAt(DateTime.UtcNow));
        Assert.Contains("450", deferred.LastError, StringComparison.Ordinal);
        Assert.True(deferred.Attempts >= 3 && sink.RejectedRecipients.Count(to => to == busy) >= deferred.Attempts,
            $"The deferred email: {deferred.Attempts} attempts, {sink.RejectedRecipients.Count(to => to == busy)} refusals at the server");

        Assert.Equal(good.Order(), sink.Messages.SelectMany(m => m.Recipients).Order());
        Assert.All(good, to => Assert.Equal(1, byRecipient[to].Attempts));

        using var session = factory.CreateSession();
        var page = await session.GetAsync($"/dev/outbox?id={refused.Id}");
        Assert.Equal("failed", page.Document.QuerySelector("#outbox-status")?.TextContent.Trim());
        Assert.Contains("no such user", page.Document.QuerySelector("#outbox-error")?.TextContent ?? "", StringComparison.Ordinal);
    }

    /// <summary>
    /// Delivery is the job email-outbox: while the server is down every email is tried, kept pending with its error and
    /// retried by runs the job books for itself; once the server answers they all go out, once each, and every run,
    /// the ones that failed to send and the one that sent, is in the job history.
    /// </summary>
    [ProviderFact]
    public async Task While_the_smtp_server_is_down_emails_stay_queued_and_all_go_out_once_it_answers_each_run_in_the_history()
    {
        var port = EmailDelivery.FreePort();
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), port).WithSetting("Email:Delivery:RetryDelay", "00:00:00.200");
        _ = factory.Services;
        var recipients = Enumerable.Range(1, 3).Select(i => AccountFlows.UniqueEmail($"outage-{i}")).ToList();

        var queued = await EmailDelivery.QueueAsync(factory, recipients);
        EmailDelivery.Wake(factory);

        // Tried twice, by runs that have ended (a run records each email as it goes, and ends after the last).
        await EmailDelivery.WaitForAsync(async () => (await EmailDelivery.ReloadAsync(factory, queued)).All(e => e.Attempts >= 2)
            && (await EmailDelivery.DeliveryRunsAsync(factory)).Count(r => r.EndedAtUtc is not null) >= 2, "every email to be tried twice");
        // (Not their claims: the next retry may hold one by now.)
        var waiting = await EmailDelivery.ReloadAsync(factory, queued);
        Assert.All(waiting, e =>
        {
            Assert.Null(e.SentAtUtc);
            Assert.Null(e.FailedAtUtc);
            Assert.False(string.IsNullOrWhiteSpace(e.LastError), "No error recorded for the failed attempts");
            Assert.Equal(OutboxEmailStatus.Pending, e.StatusAt(DateTime.UtcNow));
        });
        var runsWhileDown = await EmailDelivery.DeliveryRunsAsync(factory);
        Assert.True(runsWhileDown.Count(r => r.EndedAtUtc is not null) >= 2, $"{runsWhileDown.Count} runs recorded while the server was down");
        // An email that failed is the email's to retry, not a failed run for Quartz to retry.
        Assert.DoesNotContain(runsWhileDown, r => r.Outcome is JobOutcome.Failed or JobOutcome.Cancelled or JobOutcome.Interrupted);

        await using var sink = new SmtpSink();
        await using var relay = new LoopbackRelay(port, sink.Port);
        List<JobRun> runs = [];
        List<OutboxEmail> sent = [];
        await EmailDelivery.WaitForAsync(async () =>
        {
            sent = await EmailDelivery.ReloadAsync(factory, queued);
            runs = await EmailDelivery.DeliveryRunsAsync(factory);
            return sent.All(e => e.SentAtUtc is not null && runs.Any(r => RanAt(r, e.SentAtUtc.Value)));
        }, "every email sent by a recorded run",
            () => $"{sink.Messages.Count} message(s) at the server, {runs.Count} run(s)");

        // A late duplicate could only come from a run that read the emails before they were marked sent.
        await EmailDelivery.UntilRunsUnderWayEndAsync(factory);
        Assert.Equal(recipients.Order(), sink.Messages.SelectMany(m => m.Recipients).Order());
        Assert.All(sent, e =>
        {
            Assert.True(e.Attempts >= 3, $"{e.To} sent at attempt {e.Attempts}");
            Assert.Null(e.LastError);
            Assert.Equal(OutboxEmailStatus.Sent, e.StatusAt(DateTime.UtcNow));
        });
        Assert.All(runs, r => Assert.Equal(SmtpDelivery.Definition.Name, r.JobName));
        Assert.True(runs.Count > runsWhileDown.Count, "No run recorded after the server came up");
        // Nothing left to wait for: no run stays booked, so the history does not fill with idle runs.
        await EmailDelivery.WaitForAsync(async () => await EmailDelivery.NextDueStateAsync(factory) == TriggerState.None,
            "the booked run to be dropped");
    }

    private static bool RanAt(JobRun run, DateTime at) =>
        run.Outcome == JobOutcome.Succeeded && run.StartedAtUtc <= at && run.EndedAtUtc is { } ended && at <= ended;

    /// <summary>
    /// A process that died holding a claim leaves the email to its lease: delivery books a run for the moment the claim
    /// expires, and sends it then (not at the next scheduled run, minutes later). The claim here lasts ten minutes, so
    /// the booking is seen whatever the machine's pace; then the test moves that moment to now, claim and booking both.
    /// </summary>
    [ProviderFact]
    public async Task An_email_claimed_by_a_process_that_died_goes_out_when_the_claim_expires()
    {
        await using var sink = new SmtpSink();
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), sink.Port);
        _ = factory.Services;
        var to = AccountFlows.UniqueEmail("abandoned");
        var abandoned = EmailDelivery.Compose(factory, to);
        var claimEnds = DateTime.UtcNow.AddMinutes(10);
        abandoned.Claimed(claimEnds);
        await factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            db.OutboxEmails.Add(abandoned);
            return await db.SaveChangesAsync();
        });

        // A run that started after the save (the start-up run may still have been ending then, without the email).
        await EmailDelivery.RunStartedAfterAsync(factory, DateTime.UtcNow);
        Assert.Empty(sink.Messages); // claimed: not this run's to send
        // The run booked the next one for the claim's end, neither sooner (spinning) nor at the schedule's next round.
        var booked = await EmailDelivery.NextDueAtAsync(factory);
        Assert.True(booked is { } at && Math.Abs((at.UtcDateTime - claimEnds).TotalMilliseconds) < 1,
            $"Next run booked for {booked:O}, the claim ends at {claimEnds:O}");

        // Delivery held and idle first: the waits above wake it, so a run may still be under way that read the claim as it
        // was, and would book its end again over the moved wake-up below (seen once under load).
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.PauseJob(SmtpDelivery.Definition.Key);
        await EmailDelivery.WaitForAsync(async () => (await scheduler.QueryFireInstances(new FireInstanceQuery { Job = SmtpDelivery.Definition.Key }))
            .Items.Count == 0, "the delivery run under way to end");

        // The claim's end comes: the lease is over, and the run booked for it fires once delivery goes on.
        await factory.WithScopeAsync(services => services.GetRequiredService<AppDbContext>().OutboxEmails.Where(e => e.Id == abandoned.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedUntilUtc, DateTime.UtcNow.AddSeconds(-1))));
        await OutboxWakeUps.WakeAtAsync(scheduler, OutboxWakeUps.NextDue, DateTimeOffset.UtcNow, CancellationToken.None);
        await scheduler.ResumeJob(SmtpDelivery.Definition.Key);

        var sent = await EmailDelivery.WaitForEmailAsync(factory, to, e => e.SentAtUtc is not null, "the email to be marked sent");
        Assert.Equal(1, sent.Attempts);
        Assert.Null(sent.ClaimedUntilUtc);
        Assert.Equal([to], Assert.Single(sink.Messages).Recipients);
    }

    /// <summary>An operator who pauses the job stops the mail: a new email waits, and goes out when the job is resumed.</summary>
    [ProviderFact]
    public async Task A_paused_job_holds_new_emails_until_it_is_resumed()
    {
        await using var sink = new SmtpSink();
        await using var factory = EmailDelivery.WithSmtpServer(NewFactory(), sink.Port);
        _ = factory.Services;
        // A pause stops firings, not a run already under way: let the start-up run end first, or it could send the
        // email queued below.
        await EmailDelivery.WaitForAsync(async () => await EmailDelivery.DeliveryRunsAsync(factory) is { Count: > 0 } runs
            && runs.All(r => r.EndedAtUtc is not null), "the start-up run to end");
        await factory.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<JobControl>().PauseAsync(SmtpDelivery.Definition);
            return true;
        });
        var runsBefore = (await EmailDelivery.DeliveryRunsAsync(factory)).Count;

        var queued = await EmailDelivery.QueueAsync(factory, [AccountFlows.UniqueEmail("paused")]);
        EmailDelivery.Wake(factory);
        // The wake-up is stored, paused with the job: every trigger of the job is paused, so nothing can fire it.
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await EmailDelivery.WaitForAsync(async () => await scheduler.GetTriggerState(OutboxWakeUps.Now) == TriggerState.Paused,
            "the wake-up to be stored, paused");
        foreach (var trigger in await scheduler.GetTriggersOfJob(SmtpDelivery.Definition.Key))
        {
            Assert.Equal((trigger.Key, TriggerState.Paused), (trigger.Key, await scheduler.GetTriggerState(trigger.Key)));
        }
        Assert.Equal(runsBefore, (await EmailDelivery.DeliveryRunsAsync(factory)).Count);
        Assert.Empty(sink.Messages);
        Assert.Null(Assert.Single(await EmailDelivery.ReloadAsync(factory, queued)).SentAtUtc);

        await factory.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<JobControl>().ResumeAsync(SmtpDelivery.Definition);
            return true;
        });
        await EmailDelivery.WaitForAsync(async () => Assert.Single(await EmailDelivery.ReloadAsync(factory, queued)).SentAtUtc is not null,
            "the email to be sent once the job was resumed");
        Assert.Single(sink.Messages);
    }

    public sealed class OnSqlite : EmailDeliveryTests
    {
        protected override AppFactory NewFactory() => new SqliteAppFactory();
    }

    public sealed class OnPostgres : EmailDeliveryTests, IRunsOnPostgres
    {
        protected override AppFactory NewFactory() => new PostgresAppFactory();
    }
}

/// <summary><c>Email:Delivery:RetryDelay</c> and the waits that grow from it.</summary>
public sealed class EmailDeliverySettingsTests
{
    [Fact]
    public void Waits_grow_from_the_retry_delay_to_an_hour()
    {
        var settings = Read(new Dictionary<string, string?>());

        Assert.Equal(TimeSpan.FromSeconds(10), settings.RetryDelay);
        Assert.Equal(
            [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
             TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            Enumerable.Range(1, OutboxEmail.MaxAttempts - 1).Select(settings.RetryDelayAfter));
        // The last retry still comes well before the links in the email expire.
        var total = Enumerable.Range(1, OutboxEmail.MaxAttempts - 1).Aggregate(TimeSpan.Zero, (sum, n) => sum + settings.RetryDelayAfter(n));
        Assert.True(total < OutboxEmail.MaxAge, $"Retries span {total}");
    }

    [Fact]
    public void A_retry_delay_scales_every_wait()
    {
        var settings = Read(new Dictionary<string, string?> { ["Email:Delivery:RetryDelay"] = "00:00:00.200" });

        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.RetryDelayAfter(1));
        Assert.Equal(TimeSpan.FromMilliseconds(600), settings.RetryDelayAfter(2));
        Assert.False(settings.SendsMail);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("00:00:00")]
    [InlineData("-00:00:10")]
    [InlineData("02:00:00")]
    public void An_unusable_retry_delay_is_a_configuration_error_naming_it(string value)
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(new Dictionary<string, string?> { ["Email:Delivery:RetryDelay"] = value }));

        Assert.Equal("Email:Delivery:RetryDelay", error.Setting);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_retry_delay_stops_start_up_with_one_line_naming_it()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("saasstarter-test-");
        try
        {
            var result = await AppProcess.RunAsync([], new Dictionary<string, string>
            {
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Default"] = "",
                ["Database__DataDirectory"] = dataDirectory.FullName,
                ["Email__Delivery__RetryDelay"] = "soon",
            }, TimeSpan.FromSeconds(120));

            Assert.False(result.TimedOut, result.ToString());
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("Email:Delivery:RetryDelay", Assert.Single(result.ErrorLines));
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }

    private static EmailDeliverySettings Read(Dictionary<string, string?> settings) =>
        EmailDeliverySettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}

/// <summary>What the email delivery tests share: SMTP settings, a free port, and waiting with a bound.</summary>
internal static class EmailDelivery
{
    public const string Sender = "no-reply@saasstarter.test";

    /// <summary>Generous: delivery runs in the background, beside other tests' work on a busy machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static T WithSmtpServer<T>(T factory, int port) where T : AppFactory
    {
        factory.WithSetting("Email:Smtp:Host", "127.0.0.1")
            .WithSetting("Email:Smtp:Port", port.ToString(CultureInfo.InvariantCulture))
            .WithSetting("Email:Smtp:From", $"SaasStarter <{Sender}>")
            .WithSetting("Email:Smtp:StartTls", "false");
        return factory;
    }

    /// <summary>
    /// <paramref name="replica"/> set up as a second replica of <paramref name="app"/>: every setting of it, so the same
    /// database (already created by <paramref name="app"/>) and the same mail server.
    /// </summary>
    public static T OnSameDatabase<T>(T replica, AppFactory app) where T : AppFactory
    {
        foreach (var (name, value) in app.EnvironmentVariables())
        {
            replica.WithSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
        }
        return replica;
    }

    /// <summary>An email to <paramref name="to"/>, its body protected with <paramref name="app"/>'s keys as the app stores one; not stored yet.</summary>
    public static OutboxEmail Compose(AppFactory app, string to)
    {
        var email = new OutboxEmail { To = to, Subject = "Hello" };
        app.Services.GetRequiredService<OutboxBodies>().Protect(email, $"<p>Hello {WebUtility.HtmlEncode(to)}</p>");
        return email;
    }

    /// <summary>Stores emails in the outbox directly, in one transaction, due now and in this order.</summary>
    public static async Task<List<OutboxEmail>> QueueAsync(AppFactory app, IEnumerable<string> recipients)
    {
        var emails = recipients.Select(to => Compose(app, to)).ToList();
        await StoreAsync(app, emails);
        return emails;
    }

    /// <summary>Stores <paramref name="emails"/> as they are, in one transaction.</summary>
    public static Task<int> StoreAsync(AppFactory app, IReadOnlyCollection<OutboxEmail> emails) =>
        app.WithScopeAsync(services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            db.OutboxEmails.AddRange(emails);
            return db.SaveChangesAsync();
        });

    /// <summary>Wakes the delivery of every app at once, as storing an email wakes its own app's.</summary>
    public static void Wake(params AppFactory[] apps)
    {
        foreach (var app in apps) app.Services.GetRequiredService<OutboxSignal>().Poke();
    }

    /// <summary>The runs of the delivery job in the job history, oldest first.</summary>
    public static Task<List<JobRun>> DeliveryRunsAsync(AppFactory app) =>
        app.WithScopeAsync(services => services.GetRequiredService<AppDbContext>().JobRuns.AsNoTracking()
            .Where(r => r.JobName == SmtpDelivery.Definition.Name).OrderBy(r => r.StartedAtUtc).ToListAsync());

    /// <summary>The state of the run delivery booked for its next due email (None: none booked).</summary>
    public static async Task<TriggerState> NextDueStateAsync(AppFactory app)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.GetTriggerState(OutboxWakeUps.NextDue);
    }

    /// <summary>When the run delivery booked for its next due email fires (null: none booked).</summary>
    public static async Task<DateTimeOffset?> NextDueAtAsync(AppFactory app)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return (await scheduler.GetTrigger(OutboxWakeUps.NextDue))?.NextFireTimeUtc;
    }

    /// <summary>The emails as the database has them now.</summary>
    public static Task<List<OutboxEmail>> ReloadAsync(AppFactory app, IReadOnlyCollection<OutboxEmail> emails)
    {
        var ids = emails.Select(e => e.Id).ToList();
        return app.WithScopeAsync(services => services.GetRequiredService<AppDbContext>().OutboxEmails.AsNoTracking()
            .Where(e => ids.Contains(e.Id)).ToListAsync());
    }

    /// <summary>A loopback port that nothing listens on (bound, then released), for a server that is down or comes later.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Register's usual answer: a redirect to the "check your email" page, whatever the mail server does.</summary>
    public static void AssertWentToCheckYourEmail(HttpResponseMessage registered, WebPage page)
    {
        Assert.True(WebSession.IsRedirect(registered.StatusCode),
            $"Register answered {(int)registered.StatusCode}: {WebSession.Excerpt(page)}");
        Assert.Contains("/Identity/Account/RegisterConfirmation", registered.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }

    /// <summary>The one email to <paramref name="to"/>, once it satisfies <paramref name="done"/>.</summary>
    public static async Task<OutboxEmail> WaitForEmailAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string to,
        Func<OutboxEmail, bool> done, string what)
    {
        OutboxEmail? last = null;
        await WaitForAsync(async () =>
        {
            last = Assert.Single(await app.OutboxEmailsToAsync(to));
            return done(last);
        }, what, () => last is null ? "no email" : Describe(last));
        return last!;
    }

    public static Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string>? state = null) =>
        Eventually.UntilAsync(condition, Patience, what, state);

    /// <summary>
    /// Waits until every delivery run under way now (in the job store <paramref name="app"/> shares with any replica) has
    /// ended. A run sends what it read as due, so once the runs that read before now are over, no run acts on anything
    /// older than what is stored now: after this, a duplicate that has not arrived never will.
    /// </summary>
    public static async Task UntilRunsUnderWayEndAsync(AppFactory app)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var underWay = (await DeliveriesExecutingAsync(scheduler)).ToHashSet();
        await WaitForAsync(async () => !(await DeliveriesExecutingAsync(scheduler)).Any(underWay.Contains), "the delivery runs under way to end");
    }

    private static async Task<IEnumerable<string>> DeliveriesExecutingAsync(IScheduler scheduler) =>
        (await scheduler.QueryFireInstances(new FireInstanceQuery { Job = SmtpDelivery.Definition.Key })).Items.Select(run => run.FireInstanceId);

    /// <summary>
    /// Waits until a delivery run that started after <paramref name="after"/> has ended, waking delivery so that one
    /// comes. An app's runs never overlap, so every earlier run has ended too: whatever a run would do to what was due by
    /// <paramref name="after"/>, it has done.
    /// </summary>
    public static async Task RunStartedAfterAsync(AppFactory app, DateTime after) =>
        await WaitForAsync(async () =>
        {
            Wake(app);
            return (await DeliveryRunsAsync(app)).Any(r => r.StartedAtUtc > after && r.EndedAtUtc is not null);
        }, $"a delivery run that started after {after:O} to end");

    private static string Describe(OutboxEmail email) =>
        $"the email has Attempts={email.Attempts}, SentAtUtc={email.SentAtUtc:O}, NextAttemptAtUtc={email.NextAttemptAtUtc:O}, LastError={email.LastError}";
}

/// <summary>
/// Listens on a chosen loopback port and relays every connection to another one: the test's <see cref="SmtpSink"/>
/// (which picks its own port) answering on the port the app was configured with before the sink existed.
/// </summary>
internal sealed class LoopbackRelay : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int target;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> relays = [];
    private readonly Task accepting;

    public LoopbackRelay(int port, int target)
    {
        this.target = target;
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (relays) relays.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, target, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                return;
            }
            var toServer = PumpAsync(client.GetStream(), upstream.GetStream());
            var toClient = PumpAsync(upstream.GetStream(), client.GetStream());
            await Task.WhenAny(toServer, toClient);
            // One side hung up: hang up the other, and let both pumps end.
            client.Close();
            upstream.Close();
            await Task.WhenAll(toServer, toClient);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The connection ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (relays) running = [.. relays];
        await Task.WhenAll(running);
        stop.Dispose();
    }
}
