using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SaasStarter.Core;
using SaasStarter.Email;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Jobs;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// The job email-outbox-retention removes the body of every email that will not be sent any more, and deletes those
/// emails once stored longer ago than <c>Email:KeepSentDays</c>; an email that may still be sent keeps its row and its
/// body. The job runs through the scheduler today; the days after, its <see cref="TimeProvider"/> is a fake one moved
/// on by the test (the scheduler keeps the real clock), so nothing waits for days to pass.
/// </summary>
public abstract class EmailRetentionTests
{
    protected abstract AppFactory NewFactory();

    [ProviderFact]
    public async Task Retention_removes_bodies_that_will_not_be_sent_and_deletes_settled_emails_older_than_the_setting()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = NewFactory().WithSetting("Email:KeepSentDays", "3");
        var start = clock.GetUtcNow().UtcDateTime;
        var sent = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("sent"));
        sent.MarkSent(start);
        var failed = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("failed"));
        failed.MarkFailedPermanently(start, "550 5.1.1 no such user");
        var unsent = EmailDelivery.Compose(factory, AccountFlows.UniqueEmail("unsent"));
        // Stored two days in, an hour before the second run: still sendable then, and kept with its body.
        var later = new OutboxEmail { To = AccountFlows.UniqueEmail("later"), Subject = "Hello", CreatedAtUtc = start.AddDays(2).AddHours(-1) };
        factory.Services.GetRequiredService<OutboxBodies>().Protect(later, "<p>Hello</p>");
        OutboxEmail[] all = [sent, failed, unsent, later];
        await EmailDelivery.StoreAsync(factory, all);

        // Today: nothing is old enough to go, and the unsent email may still be sent.
        (await factory.RunNowAsync(OutboxRetention.Definition.Name, tenantId: null)).AssertSucceeded();
        var now = await RowsAsync(factory, all);
        Assert.Equal(all.Select(e => e.Id).Order(), now.Keys.Order());
        AssertOpens(factory, now[unsent.Id]);

        // Two days on: the unsent email is too old to send, so its body goes; its row stays, like the settled ones.
        clock.Advance(TimeSpan.FromDays(2));
        await RunAtAsync(factory, clock);
        var twoDaysOn = await RowsAsync(factory, all);
        Assert.Equal(all.Select(e => e.Id).Order(), twoDaysOn.Keys.Order());
        Assert.Null(twoDaysOn[unsent.Id].ProtectedHtmlBody);
        Assert.Equal(OutboxEmailStatus.Failed, twoDaysOn[unsent.Id].StatusAt(clock.GetUtcNow().UtcDateTime));
        AssertOpens(factory, twoDaysOn[later.Id]);

        // Past Email:KeepSentDays (3): the three stored at the start go; the later one, stored two days in, stays.
        clock.Advance(TimeSpan.FromDays(1.5));
        await RunAtAsync(factory, clock);
        var left = await RowsAsync(factory, all);
        Assert.Equal([later.Id], left.Keys);
        Assert.Null(left[later.Id].ProtectedHtmlBody);
    }

    /// <summary>A run of the job as the scheduler makes one (from the app's services), but on <paramref name="clock"/>.</summary>
    private static Task<bool> RunAtAsync(AppFactory factory, TimeProvider clock) =>
        factory.WithScopeAsync(async services =>
        {
            await ActivatorUtilities.CreateInstance<OutboxRetention>(services, clock).PurgeAsync(CancellationToken.None);
            return true;
        });

    private static async Task<Dictionary<Guid, OutboxEmail>> RowsAsync(AppFactory factory, IReadOnlyCollection<OutboxEmail> emails) =>
        (await EmailDelivery.ReloadAsync(factory, emails)).ToDictionary(e => e.Id);

    private static void AssertOpens(AppFactory factory, OutboxEmail email) =>
        Assert.Contains("<p>Hello", factory.BodyOf(email), StringComparison.Ordinal);

    public sealed class OnSqlite : EmailRetentionTests
    {
        protected override AppFactory NewFactory() => new SqliteAppFactory();
    }

    public sealed class OnPostgres : EmailRetentionTests, IRunsOnPostgres
    {
        protected override AppFactory NewFactory() => new PostgresAppFactory();
    }
}

/// <summary><c>Email:KeepSentDays</c>: a week by default, a whole number of days from 1 to 90.</summary>
public sealed class EmailRetentionSettingsTests
{
    [Fact]
    public void Emails_are_kept_a_week_by_default()
    {
        Assert.Equal(7, Read(new Dictionary<string, string?>()).KeepSentDays);
        Assert.Equal(30, Read(new Dictionary<string, string?> { ["Email:KeepSentDays"] = "30" }).KeepSentDays);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("-1")]
    [InlineData("a week")]
    public void An_unusable_keep_sent_days_is_a_configuration_error_naming_it(string value)
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(new Dictionary<string, string?> { ["Email:KeepSentDays"] = value }));

        Assert.Equal("Email:KeepSentDays", error.Setting);
    }

    private static EmailDeliverySettings Read(Dictionary<string, string?> settings) =>
        EmailDeliverySettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
