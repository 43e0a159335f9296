using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Members;
using SaasStarter.Members.Invitations;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;
using SaasStarter.Audit;

namespace SaasStarter.Tests.Members;

/// <summary>A tenant (<see cref="MemberWorld"/>) plus what invitation tests do to it: invite, read the link from the outbox, look at the rows.</summary>
internal sealed record InvitationWorld(MemberWorld Members)
{
    public AppFactory Factory => Members.Factory;
    public CurrentTenant Tenant => Members.Tenant;

    public static async Task<InvitationWorld> FoundAsync(AppFactory factory) => new(await MemberWorld.FoundAsync(factory));

    /// <summary>Acts on the tenant's invitations as a member with <paramref name="role"/> (the owner by default).</summary>
    public Task<Outcome> AsAsync(Func<TenantInvitations, Task<Outcome>> act, TenantRole role = TenantRole.Owner) =>
        Factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(Tenant, role);
            return act(sp.GetRequiredService<TenantInvitations>());
        });

    public Task<Outcome> InviteAsync(string email, TenantRole role = TenantRole.Member) => InviteAsAsync(TenantRole.Owner, email, role);

    /// <summary>Invites <paramref name="email"/> as a member whose role is <paramref name="actingRole"/>.</summary>
    public Task<Outcome> InviteAsAsync(TenantRole actingRole, string email, TenantRole role) =>
        AsAsync(async invitations => (Outcome)await invitations.InviteAsync(Members.OwnerId, email, role), actingRole);

    /// <summary>Invites <paramref name="email"/> and returns the path of the link the email carries (/join/{token}).</summary>
    public async Task<string> InvitedLinkAsync(string email, TenantRole role = TenantRole.Member)
    {
        var invited = await InviteAsync(email, role);
        Assert.True(invited.Succeeded, invited.Problem);
        return await LatestLinkToAsync(email);
    }

    public async Task<string> LatestLinkToAsync(string email)
    {
        var sent = await Factory.LatestEmailToAsync(email);
        Assert.NotNull(sent);
        var link = AccountFlows.EmailLink(sent.HtmlBody);
        Assert.StartsWith("/join/", link.AbsolutePath, StringComparison.Ordinal);
        return link.AbsolutePath;
    }

    public Task<List<Invitation>> InvitationsAsync() =>
        Factory.InTenantAsync(Tenant, db => db.Invitations.AsNoTracking().OrderBy(i => i.CreatedAtUtc).ToListAsync());

    public Task<Invitation> InvitationToAsync(string email) =>
        Factory.InTenantAsync(Tenant, db => db.Invitations.AsNoTracking().SingleAsync(i => i.Email == email && i.RevokedAtUtc == null));

    public Task<TenantRole?> RoleOfAsync(string email) =>
        Factory.InTenantAsync(Tenant, db => db.Memberships.Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.Role, u.Email })
            .Where(x => x.Email == email).Select(x => (TenantRole?)x.Role).SingleOrDefaultAsync());

    public Task<List<string>> AuditActionsAsync() =>
        Factory.InTenantAsync(Tenant, db => db.AuditEvents.OrderBy(e => e.OccurredAtUtc).Select(e => e.Action).ToListAsync());
}
