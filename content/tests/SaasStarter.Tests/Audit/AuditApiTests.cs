using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Accounts;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Audit;

/// <summary>GET /api/v1/audit-events: the workspace's log for an integration, newest first, paged and filtered like the page.</summary>
public abstract class AuditApiTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Events_come_newest_first_in_pages_with_detail_as_an_object_and_only_the_keys_workspace()
    {
        var elsewhere = await MemberWorld.FoundAsync(factory);
        await elsewhere.CreateKeyAsync([AuditPermissions.Read]);
        var (world, key, invitees) = await WorldWithInvitationsAsync();
        using var api = factory.ApiClient(key);

        var page1 = await (await api.GetAsync("/api/v1/audit-events?pageSize=2")).JsonAsync();

        // tenant.created, apikey.created and three member.invited: this workspace's five, none of the other's.
        Assert.Equal(5, page1.GetProperty("total").GetInt32());
        var items = page1.GetProperty("items");
        Assert.Equal([MemberAudit.Invited, MemberAudit.Invited], items.Strings("action"));
        Assert.Equal([invitees[2], invitees[1]], items.Strings("target"));
        Assert.Equal(key.ActorLabel, items[0].GetProperty("actorEmail").GetString());
        var detail = items[0].GetProperty("detail");
        Assert.Equal(JsonValueKind.Object, detail.ValueKind);
        Assert.Equal("Member", detail.GetProperty("role").GetString());
        Assert.True(items[0].GetProperty("occurredAtUtc").GetDateTime() >= items[1].GetProperty("occurredAtUtc").GetDateTime());
        Assert.EndsWith("Z", items[0].GetProperty("occurredAtUtc").GetString(), StringComparison.Ordinal);
        Assert.True(items[0].TryGetProperty("ipAddress", out _));
        Assert.NotEqual(Guid.Empty, items[0].GetProperty("id").GetGuid());

        var page3 = await (await api.GetAsync("/api/v1/audit-events?pageSize=2&page=3")).JsonAsync();
        Assert.Equal([TenantAudit.Created], page3.GetProperty("items").Strings("action"));
        Assert.Equal("Team", page3.GetProperty("items")[0].GetProperty("detail").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, page3.GetProperty("links").GetProperty("next").ValueKind);
        Assert.Equal(world.Tenant.Slug, page3.GetProperty("items")[0].GetProperty("target").GetString());
    }

    [ProviderFact]
    public async Task Events_are_filtered_by_action_actor_and_since()
    {
        var (world, key, invitees) = await WorldWithInvitationsAsync(signInFirst: true);
        using var api = factory.ApiClient(key);

        var invited = await (await api.GetAsync($"/api/v1/audit-events?action={MemberAudit.Invited}")).JsonAsync();
        Assert.Equal([invitees[2], invitees[1], invitees[0]], invited.GetProperty("items").Strings("target"));
        Assert.Contains($"action={MemberAudit.Invited}", invited.GetProperty("links").GetProperty("self").GetString(), StringComparison.Ordinal);

        var byKey = await (await api.GetAsync("/api/v1/audit-events?actor=API%20KEY")).JsonAsync();
        Assert.Equal(3, byKey.GetProperty("total").GetInt32());
        Assert.All(byKey.GetProperty("items").Strings("actorEmail"), actor => Assert.Equal(key.ActorLabel, actor));

        var ownerName = world.OwnerEmail.Split('@')[0];
        var byOwner = await (await api.GetAsync($"/api/v1/audit-events?actor={ownerName}")).JsonAsync();
        Assert.Equal([SignInAudit.Succeeded], byOwner.GetProperty("items").Strings("action"));

        var second = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.Where(e => e.Target == invitees[1]).Select(e => e.OccurredAtUtc).SingleAsync());
        var sinceUtc = DateTime.SpecifyKind(second, DateTimeKind.Utc);
        var since = await (await api.GetAsync($"/api/v1/audit-events?since={Uri.EscapeDataString(sinceUtc.ToString("O", CultureInfo.InvariantCulture))}")).JsonAsync();
        Assert.Equal([invitees[2], invitees[1]], since.GetProperty("items").Strings("target"));

        // The same moment written with an offset is the same moment.
        var withOffset = new DateTimeOffset(sinceUtc).ToOffset(TimeSpan.FromHours(2)).ToString("O", CultureInfo.InvariantCulture);
        var sinceOffset = await (await api.GetAsync($"/api/v1/audit-events?since={Uri.EscapeDataString(withOffset)}&action={MemberAudit.Invited}&actor=api")).JsonAsync();
        Assert.Equal([invitees[2], invitees[1]], sinceOffset.GetProperty("items").Strings("target"));

        var future = await (await api.GetAsync("/api/v1/audit-events?since=2999-01-01T00:00:00Z")).JsonAsync();
        Assert.Equal(0, future.GetProperty("total").GetInt32());
    }

    [ProviderFact]
    public async Task Bad_filters_get_400_naming_each_of_them()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([AuditPermissions.Read]);
        using var api = factory.ApiClient(key);

        using var response = await api.GetAsync("/api/v1/audit-events?action=member.deleted_everything&since=last%20tuesday&pageSize=500");

        Assert.Equal(["action", "pageSize", "since"], (await response.ValidationErrorsAsync()).Order());
        Assert.Equal(["actor"], await (await api.GetAsync($"/api/v1/audit-events?actor={new string('a', 257)}")).ValidationErrorsAsync());
    }

    [ProviderFact]
    public async Task A_key_without_audit_read_gets_403()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([MemberPermissions.Read, MemberPermissions.Invite, MemberPermissions.Manage]);
        using var api = factory.ApiClient(key);

        var problem = await (await api.GetAsync("/api/v1/audit-events")).ProblemAsync(403);

        Assert.Contains(AuditPermissions.Read, problem.GetProperty("detail").GetString());
    }

    /// <summary>A workspace, a key with audit.read and members.invite, and three people invited through it one after another.</summary>
    private async Task<(MemberWorld World, KeyedApi.Key Key, string[] Invitees)> WorldWithInvitationsAsync(bool signInFirst = false)
    {
        var world = await MemberWorld.FoundAsync(factory);
        if (signInFirst) (await factory.SignedInSessionAsync(world.OwnerEmail)).Dispose();
        var key = await world.CreateKeyAsync([AuditPermissions.Read, MemberPermissions.Invite]);
        using var api = factory.ApiClient(key);
        var invitees = new[] { AccountFlows.UniqueEmail("first"), AccountFlows.UniqueEmail("second"), AccountFlows.UniqueEmail("third") };
        foreach (var email in invitees)
        {
            using var created = await api.PostAsJsonAsync("/api/v1/invitations", new { email, role = "Member" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            // Apart in time, so "newest first" and "since" have an order to show.
            await Task.Delay(5);
        }
        return (world, key, invitees);
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : AuditApiTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : AuditApiTests(factory), IClassFixture<PostgresAppFactory>;
}
