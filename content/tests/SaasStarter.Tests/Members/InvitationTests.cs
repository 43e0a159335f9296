using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
using SaasStarter.Members.Invitations;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;
using SaasStarter.Members;

namespace SaasStarter.Tests.Members;

/// <summary>Invitations end to end: sending from the page, the link in the email, and every way of accepting or being refused.</summary>
public abstract class InvitationTests(AppFactory factory)
{
    private readonly RaceGate gate = RaceGate.Of(factory);

    [ProviderFact]
    public async Task An_owner_invites_from_the_page_and_the_email_carries_a_single_use_link_whose_token_is_stored_only_hashed()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("colleague");
        using var owner = await factory.SignedInSessionAsync(world.Members.OwnerEmail);

        var page = await owner.GetAsync($"/t/{world.Tenant.Slug}/invitations");
        var sent = await owner.FollowAsync(await owner.SubmitAsync(page,
            new Dictionary<string, string> { ["Email"] = email, ["Role"] = nameof(TenantRole.Admin) }, "#invite-form"));

        Assert.Contains(email, sent.Document.QuerySelector("#invitations-notice")?.TextContent ?? WebSession.Excerpt(sent));
        Assert.NotNull(sent.Document.QuerySelector($"#invitations-table tr[data-invitation='{email}']"));
        var token = (await world.LatestLinkToAsync(email))["/join/".Length..];
        var stored = await world.InvitationToAsync(email);
        Assert.Equal(InvitationToken.Hash(token), stored.TokenHash);
        Assert.DoesNotContain(token, stored.TokenHash, StringComparison.Ordinal);
        Assert.Equal(TenantRole.Admin, stored.Role);
        Assert.InRange(stored.ExpiresAtUtc - DateTime.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
        Assert.Contains(MemberAudit.Invited, await world.AuditActionsAsync());
    }

    [ProviderFact]
    public async Task Someone_without_an_account_chooses_a_password_joins_with_the_invited_role_and_the_link_is_then_used_up()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("newcomer");
        var link = await world.InvitedLinkAsync(email, TenantRole.Viewer);
        using var visitor = factory.CreateSession();

        var page = await visitor.GetAsync(link);
        Assert.Equal("CreateAccount", page.Document.QuerySelector("#invitation")?.GetAttribute("data-offer"));
        var joined = await visitor.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.Password"] = AccountFlows.GoodPassword,
            ["Input.ConfirmPassword"] = AccountFlows.GoodPassword,
        }, "#create-account-form");

        Assert.Equal($"/t/{world.Tenant.Slug}", joined.Headers.Location?.OriginalString);
        var tenantPage = await visitor.FollowAsync(joined);
        Assert.Equal(HttpStatusCode.OK, tenantPage.Status);
        Assert.Equal(TenantRole.Viewer, await world.RoleOfAsync(email));
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed);
        Assert.Contains(MemberAudit.Joined, await world.AuditActionsAsync());

        using var again = factory.CreateSession();
        var used = await again.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, used.Status);
        Assert.Contains("already been used", used.Document.QuerySelector("#invitation-problem")?.TextContent);
    }

    [ProviderFact]
    public async Task A_bad_password_is_refused_on_the_form_and_creates_nothing()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("short");
        var link = await world.InvitedLinkAsync(email);
        using var visitor = factory.CreateSession();

        var page = await visitor.GetAsync(link);
        var refused = await WebSession.ReadAsync(await visitor.SubmitAsync(page,
            new Dictionary<string, string> { ["Input.Password"] = "short", ["Input.ConfirmPassword"] = "short" }, "#create-account-form"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("at least", refused.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await factory.FindUserAsync(email));
        Assert.Equal(InvitationState.Open, (await world.InvitationToAsync(email)).StateAt(DateTime.UtcNow));
    }

    [ProviderFact]
    public async Task An_existing_user_joins_after_signing_in_and_only_with_the_invited_email()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var invited = AccountFlows.UniqueEmail("invited");
        var other = AccountFlows.UniqueEmail("other");
        await factory.CreateConfirmedUserAsync(invited, AccountFlows.GoodPassword);
        await factory.CreateConfirmedUserAsync(other, AccountFlows.GoodPassword);
        var link = await world.InvitedLinkAsync(invited);

        using (var anonymous = factory.CreateSession())
        {
            var page = await anonymous.GetAsync(link);
            Assert.Equal("SignIn", page.Document.QuerySelector("#invitation")?.GetAttribute("data-offer"));
            Assert.Contains(Uri.EscapeDataString(link), page.Document.QuerySelector("#sign-in-to-accept")?.GetAttribute("href"));
        }

        using (var wrong = await factory.SignedInSessionAsync(other))
        {
            var page = await wrong.GetAsync(link);
            Assert.Equal("WrongAccount", page.Document.QuerySelector("#invitation")?.GetAttribute("data-offer"));
            // Posting the accept handler anyway (the page offers no such button) joins nobody.
            var antiforgery = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            var forced = await wrong.Client.PostAsync(link + "?handler=Accept", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = antiforgery,
            }));
            Assert.False(WebSession.IsRedirect(forced.StatusCode));
            Assert.Null(await world.RoleOfAsync(other));
        }

        using var right = await factory.SignedInSessionAsync(invited);
        var offer = await right.GetAsync(link);
        Assert.Equal("Join", offer.Document.QuerySelector("#invitation")?.GetAttribute("data-offer"));
        var joined = await right.SubmitAsync(offer, new Dictionary<string, string>(), "#accept-form");
        Assert.Equal($"/t/{world.Tenant.Slug}", joined.Headers.Location?.OriginalString);
        Assert.Equal(TenantRole.Member, await world.RoleOfAsync(invited));
    }

    [ProviderFact]
    public async Task Forged_expired_revoked_and_replaced_links_each_get_a_clear_page_and_join_nobody()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        using var visitor = factory.CreateSession();

        foreach (var forged in new[] { "/join/" + InvitationToken.New(), "/join/not-a-token", "/join/" + new string('A', 43) })
        {
            var page = await visitor.GetAsync(forged);
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Equal("Invalid", page.Document.QuerySelector("#invitation")?.GetAttribute("data-offer"));
        }

        var late = AccountFlows.UniqueEmail("late");
        var expiredLink = await world.InvitedLinkAsync(late);
        await factory.InTenantAsync(world.Tenant, db => db.Invitations.Where(i => i.Email == late)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));
        var expired = await visitor.GetAsync(expiredLink);
        Assert.Equal(HttpStatusCode.Gone, expired.Status);
        Assert.Contains("expired", expired.Document.QuerySelector("#invitation-problem")?.TextContent);

        var withdrawn = AccountFlows.UniqueEmail("withdrawn");
        var revokedLink = await world.InvitedLinkAsync(withdrawn);
        var invitation = await world.InvitationToAsync(withdrawn);
        var revoked = await world.AsAsync(i => i.RevokeAsync(world.Members.OwnerId, invitation.Id));
        Assert.True(revoked.Succeeded, revoked.Problem);
        var revokedPage = await visitor.GetAsync(revokedLink);
        Assert.Equal(HttpStatusCode.Gone, revokedPage.Status);
        Assert.Contains("withdrawn", revokedPage.Document.QuerySelector("#invitation-problem")?.TextContent);

        var resentTo = AccountFlows.UniqueEmail("resent");
        var firstLink = await world.InvitedLinkAsync(resentTo);
        var resent = await world.AsAsync(async i => await i.ResendAsync(world.Members.OwnerId, (await world.InvitationToAsync(resentTo)).Id));
        Assert.True(resent.Succeeded, resent.Problem);
        var secondLink = await world.LatestLinkToAsync(resentTo);
        Assert.NotEqual(firstLink, secondLink);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(firstLink)).Status);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(secondLink)).Status);

        // Accepting through the form of the expired link creates no account either.
        await factory.InTenantAsync(world.Tenant, db => db.Invitations.Where(i => i.Email == resentTo)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));
        var stale = await visitor.GetAsync(secondLink);
        Assert.Equal(HttpStatusCode.Gone, stale.Status);
        Assert.Null(await factory.FindUserAsync(resentTo));
        Assert.Null(await world.RoleOfAsync(late));
        Assert.Contains(MemberAudit.InvitationRevoked, await world.AuditActionsAsync());
        Assert.Contains(MemberAudit.InvitationResent, await world.AuditActionsAsync());
    }

    [ProviderFact]
    public async Task Inviting_a_member_or_someone_already_invited_gets_a_clear_message_and_sends_nothing()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.Members.AddAsync(TenantRole.Member, memberEmail);

        var member = await world.InviteAsync(memberEmail.ToUpperInvariant());
        Assert.Contains("already a member", member.Problem);
        Assert.Null(await factory.LatestEmailToAsync(memberEmail.ToUpperInvariant()));

        var pending = AccountFlows.UniqueEmail("pending");
        await world.InvitedLinkAsync(pending);
        var twice = await world.InviteAsync(pending);
        Assert.Contains("already has an open invitation", twice.Problem);
        Assert.Single(await world.InvitationsAsync());

        // Once expired, a new invitation replaces the old one.
        await factory.InTenantAsync(world.Tenant, db => db.Invitations.ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));
        Assert.True((await world.InviteAsync(pending)).Succeeded);
        Assert.Equal(InvitationState.Open, (await world.InvitationToAsync(pending)).StateAt(DateTime.UtcNow));

        using var owner = await factory.SignedInSessionAsync(world.Members.OwnerEmail);
        var page = await owner.GetAsync($"/t/{world.Tenant.Slug}/invitations");
        var bad = await WebSession.ReadAsync(await owner.SubmitAsync(page, new Dictionary<string, string> { ["Email"] = "not an email" }, "#invite-form"));
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Contains("valid email", bad.Document.QuerySelector("#invite-problem")?.TextContent);
        Assert.Equal("not an email", bad.Document.QuerySelector("#invite-form input[name=Email]")?.GetAttribute("value"));
    }

    [ProviderFact]
    public async Task Inviting_needs_members_invite_and_only_an_owner_invites_owners()
    {
        var world = await InvitationWorld.FoundAsync(factory);

        var byMember = await world.InviteAsAsync(TenantRole.Member, AccountFlows.UniqueEmail("x"), TenantRole.Viewer);
        var ownerByAdmin = await world.InviteAsAsync(TenantRole.Admin, AccountFlows.UniqueEmail("x"), TenantRole.Owner);
        var adminByAdmin = await world.InviteAsAsync(TenantRole.Admin, AccountFlows.UniqueEmail("x"), TenantRole.Admin);

        Assert.False(byMember.Succeeded);
        Assert.Contains("Only an owner", ownerByAdmin.Problem);
        Assert.True(adminByAdmin.Succeeded, adminByAdmin.Problem);
        Assert.Single(await world.InvitationsAsync());

        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.Members.AddAsync(TenantRole.Member, memberEmail);
        using var session = await factory.SignedInSessionAsync(memberEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync($"/t/{world.Tenant.Slug}/invitations")).Status);
    }

    [ProviderFact]
    public async Task Another_tenant_cannot_resend_or_revoke_an_invitation()
    {
        var mine = await InvitationWorld.FoundAsync(factory);
        var theirs = await InvitationWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("target");
        await mine.InvitedLinkAsync(email);
        var id = (await mine.InvitationToAsync(email)).Id;

        var revoked = await theirs.AsAsync(i => i.RevokeAsync(theirs.Members.OwnerId, id));
        var resent = await theirs.AsAsync(i => i.ResendAsync(theirs.Members.OwnerId, id));

        Assert.False(revoked.Succeeded);
        Assert.False(resent.Succeeded);
        Assert.Equal(InvitationState.Open, (await mine.InvitationToAsync(email)).StateAt(DateTime.UtcNow));
        Assert.Empty(await theirs.InvitationsAsync());
    }

    /// <summary>
    /// Each batch of accepts is held until all four have found the invitation open and are about to claim it (where their
    /// transaction starts): only the claim itself can stop three of them.
    /// </summary>
    [ProviderFact]
    public async Task Concurrent_accepts_of_one_invitation_make_one_membership()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        var existing = AccountFlows.UniqueEmail("double-click");
        var user = await factory.CreateConfirmedUserAsync(existing, AccountFlows.GoodPassword);
        var existingLink = await world.InvitedLinkAsync(existing);
        var fresh = AccountFlows.UniqueEmail("two-tabs");
        var freshLink = await world.InvitedLinkAsync(fresh);

        var clicks = gate.Start(4, RacePoint.TransactionStart);
        var accepts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            clicks.RunAsync(() => AcceptAsync(existingLink, a => async found => await a.AcceptAsync(found, user)))));
        var tabs = gate.Start(4, RacePoint.TransactionStart);
        var signUps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => tabs.RunAsync(() => AcceptAsync(freshLink,
            a => async found => (await a.AcceptAsNewUserAsync(found, AccountFlows.GoodPassword)).Outcome))));

        Assert.Equal((4, 4), (clicks.Arrived, tabs.Arrived));
        Assert.Single(accepts, succeeded => succeeded);
        Assert.Single(signUps, succeeded => succeeded);
        var members = await factory.InTenantAsync(world.Tenant, db => db.Memberships.CountAsync());
        Assert.Equal(3, members);
        Assert.Equal(2, (await world.AuditActionsAsync()).Count(a => a == MemberAudit.Joined));
    }

    private Task<bool> AcceptAsync(string link, Func<InvitationAcceptance, Func<InvitationAcceptance.Found, Task<SaasStarter.Core.Outcome>>> accept) =>
        factory.WithScopeAsync(async sp =>
        {
            var acceptance = sp.GetRequiredService<InvitationAcceptance>();
            var found = await acceptance.FindAsync(link["/join/".Length..]);
            Assert.NotNull(found);
            // The losers are told the invitation is used: no exception, so no error page for a double click.
            return (await accept(acceptance)(found)).Succeeded;
        });

    public sealed class OnSqlite(SqliteAppFactory factory) : InvitationTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : InvitationTests(factory), IClassFixture<PostgresAppFactory>;
}
