using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Keys;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Members.Invitations;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;

namespace SaasStarter.Tests.Members;

/// <summary>/api/v1/members and /api/v1/invitations: what an integration may do with a workspace's people, under the members rules.</summary>
public abstract class MembersApiTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Members_are_listed_by_email_in_pages_and_q_narrows_them()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (_, adaMembership) = await world.AddAsync(TenantRole.Admin, $"ada-{tag}@example.com");
        await world.AddAsync(TenantRole.Viewer, $"bob-{tag}@example.com");
        await world.AddAsync(TenantRole.Member, $"cy@{tag}.example.org");
        var key = await world.CreateKeyAsync([MemberPermissions.Read]);
        using var api = factory.ApiClient(key);

        using var first = await api.GetAsync("/api/v1/members?pageSize=3");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page1 = await first.JsonAsync();
        Assert.Equal(4, page1.GetProperty("total").GetInt32());
        Assert.Equal(3, page1.GetProperty("pageSize").GetInt32());
        Assert.Equal([$"ada-{tag}@example.com", $"bob-{tag}@example.com", $"cy@{tag}.example.org"], page1.GetProperty("items").Strings("email"));
        var ada = page1.GetProperty("items")[0];
        Assert.Equal(adaMembership, ada.GetProperty("id").GetGuid());
        Assert.Equal("Admin", ada.GetProperty("role").GetString());
        Assert.EndsWith("Z", ada.GetProperty("joinedAtUtc").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, page1.GetProperty("links").GetProperty("prev").ValueKind);
        var next = page1.GetProperty("links").GetProperty("next").GetString()!;
        Assert.Equal("/api/v1/members?pageSize=3&page=2", next);

        var page2 = await (await api.GetAsync(next)).JsonAsync();
        Assert.Equal([world.OwnerEmail], page2.GetProperty("items").Strings("email"));
        Assert.Equal("Owner", page2.GetProperty("items")[0].GetProperty("role").GetString());
        Assert.Equal(world.OwnerId, page2.GetProperty("items")[0].GetProperty("userId").GetGuid());

        // Any case, any part of the email.
        var searched = await (await api.GetAsync($"/api/v1/members?q={tag.ToUpperInvariant()}@EXAMPLE")).JsonAsync();
        Assert.Equal([$"ada-{tag}@example.com", $"bob-{tag}@example.com"], searched.GetProperty("items").Strings("email"));
        Assert.Equal(2, searched.GetProperty("total").GetInt32());

        Assert.Equal(["pageSize"], await (await api.GetAsync("/api/v1/members?pageSize=101")).ValidationErrorsAsync());
        Assert.Equal(["page"], await (await api.GetAsync("/api/v1/members?page=0")).ValidationErrorsAsync());
    }

    [ProviderFact]
    public async Task Removing_a_member_answers_204_and_the_last_owner_is_refused_with_409()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("leaving");
        var (_, membership) = await world.AddAsync(TenantRole.Member, memberEmail);
        var key = await world.CreateKeyAsync([MemberPermissions.Read, MemberPermissions.Manage]);
        using var api = factory.ApiClient(key);

        using var removed = await api.DeleteAsync($"/api/v1/members/{membership}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.DoesNotContain(membership, (await world.MembershipRolesAsync()).Keys);
        var audited = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == MemberAudit.Removed));
        Assert.Equal(memberEmail, audited.Target);
        Assert.Equal(key.ActorLabel, audited.ActorEmail);
        Assert.Equal(world.OwnerId, audited.ActorUserId);

        var lastOwner = await (await api.DeleteAsync($"/api/v1/members/{world.OwnerMembershipId}")).ProblemAsync(409);
        Assert.Contains("at least one owner", lastOwner.GetProperty("detail").GetString());
        Assert.Equal([TenantRole.Owner], await world.RolesAsync());

        var again = await (await api.DeleteAsync($"/api/v1/members/{membership}")).ProblemAsync(404);
        Assert.Contains("no longer in this workspace", again.GetProperty("detail").GetString());
    }

    [ProviderFact]
    public async Task A_key_of_an_admin_cannot_remove_an_owner()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var (_, secondOwner) = await world.AddAsync(TenantRole.Owner);
        var (adminId, _) = await world.AddAsync(TenantRole.Admin);
        var key = await world.CreateKeyAsync([MemberPermissions.Manage], adminId, TenantRole.Admin);
        using var api = factory.ApiClient(key);

        var refused = await (await api.DeleteAsync($"/api/v1/members/{secondOwner}")).ProblemAsync(409);

        Assert.Contains("Only an owner", refused.GetProperty("detail").GetString());
        Assert.Equal(TenantRole.Owner, (await world.MembershipRolesAsync())[secondOwner]);
    }

    [ProviderFact]
    public async Task An_invitation_is_created_with_201_emailed_and_audited_as_the_key()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([MemberPermissions.Invite], name: "HR import");
        using var api = factory.ApiClient(key);
        var email = AccountFlows.UniqueEmail("invited");

        using var created = await api.PostAsJsonAsync("/api/v1/invitations", new { email, role = "admin" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invitation = await created.JsonAsync();
        var id = invitation.GetProperty("id").GetGuid();
        Assert.Equal(email, invitation.GetProperty("email").GetString());
        Assert.Equal("Admin", invitation.GetProperty("role").GetString());
        Assert.Equal("open", invitation.GetProperty("status").GetString());
        Assert.InRange(invitation.GetProperty("expiresAtUtc").GetDateTime(), DateTime.UtcNow.AddDays(6), DateTime.UtcNow.AddDays(8));
        Assert.Equal($"/api/v1/invitations/{id}", created.Headers.Location?.OriginalString);
        var fetched = await (await api.GetAsync(created.Headers.Location)).JsonAsync();
        Assert.Equal(id, fetched.GetProperty("id").GetGuid());

        var sent = await factory.LatestEmailToAsync(email);
        Assert.NotNull(sent);
        Assert.Contains("/join/", sent.HtmlBody, StringComparison.Ordinal);
        // The email names the person behind the key, not the key.
        Assert.Contains(world.OwnerEmail, sent.HtmlBody, StringComparison.Ordinal);

        var audited = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == MemberAudit.Invited));
        Assert.Equal($"api key \"HR import\" ({ApiKeySecret.Prefix}{key.PublicId}…)", audited.ActorEmail);
        Assert.Equal(world.OwnerId, audited.ActorUserId);
        Assert.Equal(email, audited.Target);
    }

    [ProviderFact]
    public async Task A_bad_invitation_gets_400_naming_the_fields_and_a_member_or_someone_invited_gets_409()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.AddAsync(TenantRole.Member, memberEmail);
        var key = await world.CreateKeyAsync([MemberPermissions.Invite]);
        using var api = factory.ApiClient(key);

        Assert.Equal(["email"], await (await api.PostAsJsonAsync("/api/v1/invitations", new { email = "not an email", role = "Member" })).ValidationErrorsAsync());
        Assert.Equal(["email", "role"], (await (await api.PostAsJsonAsync("/api/v1/invitations", new { role = "1" })).ValidationErrorsAsync()).Order());
        Assert.Equal(["role"], await (await api.PostAsJsonAsync("/api/v1/invitations", new { email = AccountFlows.UniqueEmail("x"), role = "Boss" })).ValidationErrorsAsync());

        var member = await (await api.PostAsJsonAsync("/api/v1/invitations", new { email = memberEmail.ToUpperInvariant(), role = "Viewer" })).ProblemAsync(409);
        Assert.Contains("already a member", member.GetProperty("detail").GetString());

        var pending = AccountFlows.UniqueEmail("pending");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/invitations", new { email = pending, role = "Member" })).StatusCode);
        var twice = await (await api.PostAsJsonAsync("/api/v1/invitations", new { email = pending, role = "Member" })).ProblemAsync(409);
        Assert.Contains("already has an open invitation", twice.GetProperty("detail").GetString());

        Assert.Equal([pending], await factory.InTenantAsync(world.Tenant, db => db.Invitations.Select(i => i.Email).ToListAsync()));
    }

    [ProviderFact]
    public async Task A_key_whose_creator_is_an_admin_cannot_invite_an_owner()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var (adminId, _) = await world.AddAsync(TenantRole.Admin);
        var key = await world.CreateKeyAsync([MemberPermissions.Invite], adminId, TenantRole.Admin);
        using var api = factory.ApiClient(key);
        var email = AccountFlows.UniqueEmail("would-be-owner");

        var refused = await (await api.PostAsJsonAsync("/api/v1/invitations", new { email, role = "Owner" })).ProblemAsync(409);
        Assert.Contains("Only an owner can invite owners", refused.GetProperty("detail").GetString());
        Assert.Null(await factory.LatestEmailToAsync(email));
        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.Invitations.CountAsync()));

        // The same key invites an admin: only the owner rule refused it.
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/invitations", new { email, role = "Admin" })).StatusCode);
    }

    [ProviderFact]
    public async Task Waiting_invitations_are_listed_and_a_revoked_one_is_gone()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([MemberPermissions.Invite]);
        using var api = factory.ApiClient(key);
        var stale = AccountFlows.UniqueEmail("stale");
        var fresh = AccountFlows.UniqueEmail("fresh");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/invitations", new { email = stale, role = "Viewer" })).StatusCode);
        await factory.InTenantAsync(world.Tenant, db => db.Invitations.ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/invitations", new { email = fresh, role = "Member" })).StatusCode);

        var listed = await (await api.GetAsync("/api/v1/invitations")).JsonAsync();
        Assert.Equal(2, listed.GetProperty("total").GetInt32());
        Assert.Equal([fresh, stale], listed.GetProperty("items").Strings("email"));
        Assert.Equal(["open", "expired"], listed.GetProperty("items").Strings("status"));
        Assert.Equal(["Member", "Viewer"], listed.GetProperty("items").Strings("role"));
        Assert.Equal(["pageSize"], await (await api.GetAsync("/api/v1/invitations?pageSize=0")).ValidationErrorsAsync());

        var id = listed.GetProperty("items")[0].GetProperty("id").GetGuid();
        using var revoked = await api.DeleteAsync($"/api/v1/invitations/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.NotNull((await factory.InTenantAsync(world.Tenant, db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == id))).RevokedAtUtc);

        await (await api.DeleteAsync($"/api/v1/invitations/{id}")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/invitations/{id}")).ProblemAsync(404);
        Assert.Equal([stale], (await (await api.GetAsync("/api/v1/invitations")).JsonAsync()).GetProperty("items").Strings("email"));
        var audited = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == MemberAudit.InvitationRevoked));
        Assert.Equal(key.ActorLabel, audited.ActorEmail);
    }

    [ProviderFact]
    public async Task Each_endpoint_needs_its_scope_and_a_key_without_it_gets_403_and_changes_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var (_, membership) = await world.AddAsync(TenantRole.Member);
        var reader = await world.CreateKeyAsync([MemberPermissions.Read]);
        var inviter = await world.CreateKeyAsync([MemberPermissions.Invite]);
        using var readerApi = factory.ApiClient(reader);
        using var inviterApi = factory.ApiClient(inviter);
        var email = AccountFlows.UniqueEmail("unscoped");

        var invite = await (await readerApi.PostAsJsonAsync("/api/v1/invitations", new { email, role = "Member" })).ProblemAsync(403);
        Assert.Equal(ProblemTypes.MissingScope, invite.GetProperty("type").GetString());
        Assert.Contains(MemberPermissions.Invite, invite.GetProperty("detail").GetString());
        await (await readerApi.GetAsync("/api/v1/invitations")).ProblemAsync(403);
        var remove = await (await readerApi.DeleteAsync($"/api/v1/members/{membership}")).ProblemAsync(403);
        Assert.Contains(MemberPermissions.Manage, remove.GetProperty("detail").GetString());
        await (await inviterApi.GetAsync("/api/v1/members")).ProblemAsync(403);

        Assert.Equal(0, await factory.InTenantAsync(world.Tenant, db => db.Invitations.CountAsync()));
        Assert.Null(await factory.LatestEmailToAsync(email));
        Assert.Contains(membership, (await world.MembershipRolesAsync()).Keys);
        using var anonymous = factory.CreateClient();
        await (await anonymous.GetAsync("/api/v1/members")).ProblemAsync(401);
    }

    [ProviderFact]
    public async Task Another_workspaces_member_or_invitation_is_404_and_stays_as_it_was()
    {
        var mine = await MemberWorld.FoundAsync(factory);
        var theirs = await InvitationWorld.FoundAsync(factory);
        var (_, theirMembership) = await theirs.Members.AddAsync(TenantRole.Member);
        var theirInvitee = AccountFlows.UniqueEmail("theirs");
        Assert.True((await theirs.InviteAsync(theirInvitee)).Succeeded);
        var theirInvitation = (await theirs.InvitationToAsync(theirInvitee)).Id;
        var key = await mine.CreateKeyAsync([MemberPermissions.Read, MemberPermissions.Manage, MemberPermissions.Invite]);
        using var api = factory.ApiClient(key);

        await (await api.DeleteAsync($"/api/v1/members/{theirMembership}")).ProblemAsync(404);
        await (await api.DeleteAsync($"/api/v1/members/{theirs.Members.OwnerMembershipId}")).ProblemAsync(404);
        await (await api.DeleteAsync($"/api/v1/invitations/{theirInvitation}")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/invitations/{theirInvitation}")).ProblemAsync(404);
        var listed = await (await api.GetAsync("/api/v1/members")).JsonAsync();

        Assert.Equal([mine.OwnerEmail], listed.GetProperty("items").Strings("email"));
        Assert.Equal(2, (await theirs.Members.MembershipRolesAsync()).Count);
        Assert.Equal(InvitationState.Open, (await theirs.InvitationToAsync(theirInvitee)).StateAt(DateTime.UtcNow));
        Assert.DoesNotContain(MemberAudit.Removed, await theirs.AuditActionsAsync());
        Assert.DoesNotContain(MemberAudit.InvitationRevoked, await theirs.AuditActionsAsync());
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : MembersApiTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : MembersApiTests(factory), IClassFixture<PostgresAppFactory>;
}
