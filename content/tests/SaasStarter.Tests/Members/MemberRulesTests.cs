using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Core;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Members;

/// <summary>The rules that keep a tenant governable: at least one Owner, and only Owners make or unmake Owners.</summary>
public abstract class MemberRulesTests(AppFactory factory)
{
    private readonly RaceGate gate = RaceGate.Of(factory);

    [ProviderFact]
    public async Task The_last_owner_can_neither_be_demoted_nor_leave()
    {
        var tenant = await MemberWorld.FoundAsync(factory);

        var demoted = await tenant.AsAsync(tenant.OwnerId, admin => admin.ChangeRoleAsync(tenant.OwnerId, tenant.OwnerMembershipId, TenantRole.Admin));
        var left = await tenant.AsAsync(tenant.OwnerId, admin => admin.LeaveAsync(tenant.OwnerId));

        Assert.False(demoted.Succeeded);
        Assert.False(left.Succeeded);
        Assert.Equal([TenantRole.Owner], await tenant.RolesAsync());
    }

    [ProviderFact]
    public async Task An_admin_cannot_make_unmake_or_remove_an_owner()
    {
        var tenant = await MemberWorld.FoundAsync(factory);
        var (adminId, _) = await tenant.AddAsync(TenantRole.Admin);
        var (_, memberMembership) = await tenant.AddAsync(TenantRole.Member);

        var promote = await tenant.AsAsync(adminId, admin => admin.ChangeRoleAsync(adminId, memberMembership, TenantRole.Owner));
        var demote = await tenant.AsAsync(adminId, admin => admin.ChangeRoleAsync(adminId, tenant.OwnerMembershipId, TenantRole.Member));
        var remove = await tenant.AsAsync(adminId, admin => admin.RemoveAsync(adminId, tenant.OwnerMembershipId));

        Assert.All([promote, demote, remove], outcome => Assert.False(outcome.Succeeded));
        Assert.Equal(1, (await tenant.RolesAsync()).Count(r => r == TenantRole.Owner));
    }

    [ProviderFact]
    public async Task An_admin_manages_members_and_a_member_cannot()
    {
        var tenant = await MemberWorld.FoundAsync(factory);
        var (adminId, _) = await tenant.AddAsync(TenantRole.Admin);
        var (memberId, memberMembership) = await tenant.AddAsync(TenantRole.Member);
        var (_, viewerMembership) = await tenant.AddAsync(TenantRole.Viewer);

        var byMember = await tenant.AsAsync(memberId, admin => admin.ChangeRoleAsync(memberId, viewerMembership, TenantRole.Admin));
        var byAdmin = await tenant.AsAsync(adminId, admin => admin.ChangeRoleAsync(adminId, memberMembership, TenantRole.Viewer));
        var removed = await tenant.AsAsync(adminId, admin => admin.RemoveAsync(adminId, viewerMembership));

        Assert.False(byMember.Succeeded);
        Assert.True(byAdmin.Succeeded, byAdmin.Problem);
        Assert.True(removed.Succeeded, removed.Problem);
        Assert.Equal([TenantRole.Owner, TenantRole.Admin, TenantRole.Viewer], await tenant.RolesAsync());
    }

    [ProviderFact]
    public async Task An_owner_transfers_ownership_and_stays_as_admin()
    {
        var tenant = await MemberWorld.FoundAsync(factory);
        var (_, heirMembership) = await tenant.AddAsync(TenantRole.Member);

        var transferred = await tenant.AsAsync(tenant.OwnerId, admin => admin.TransferOwnershipAsync(tenant.OwnerId, heirMembership));

        Assert.True(transferred.Succeeded, transferred.Problem);
        var roles = await tenant.MembershipRolesAsync();
        Assert.Equal(TenantRole.Admin, roles[tenant.OwnerMembershipId]);
        Assert.Equal(TenantRole.Owner, roles[heirMembership]);
    }

    /// <summary>
    /// Both demotions are held until both have come, where the other could still slip past: on PostgreSQL after each has
    /// read the owners (two owners, so each may demote the other; serializable isolation must refuse one of them), on
    /// SQLite before either takes the write lock (which lets them through one at a time, the second counting one owner).
    /// </summary>
    [ProviderFact]
    public async Task Two_owners_demoting_each_other_at_once_leave_an_owner()
    {
        var tenant = await MemberWorld.FoundAsync(factory);
        var (secondId, secondMembership) = await tenant.AddAsync(TenantRole.Owner);
        var race = gate.Start(2, factory.ProviderName == "Postgres" ? RacePoint.Save : RacePoint.TransactionStart);

        var outcomes = await Task.WhenAll(
            race.RunAsync(() => tenant.AsAsync(tenant.OwnerId, admin => admin.ChangeRoleAsync(tenant.OwnerId, secondMembership, TenantRole.Admin))),
            race.RunAsync(() => tenant.AsAsync(secondId, admin => admin.ChangeRoleAsync(secondId, tenant.OwnerMembershipId, TenantRole.Admin))));

        Assert.Equal(2, race.Arrived);
        Assert.Single(outcomes, outcome => outcome.Succeeded);
        Assert.Equal(1, (await tenant.RolesAsync()).Count(role => role == TenantRole.Owner));
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : MemberRulesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : MemberRulesTests(factory), IClassFixture<PostgresAppFactory>;
}

/// <summary>A tenant with its owner, and helpers to add members and act as one of them.</summary>
internal sealed record MemberWorld(AppFactory Factory, CurrentTenant Tenant, Guid OwnerId, Guid OwnerMembershipId, string OwnerEmail)
{
    public static async Task<MemberWorld> FoundAsync(AppFactory factory)
    {
        var ownerEmail = AccountFlows.UniqueEmail("owner");
        var owner = await factory.CreateConfirmedUserAsync(ownerEmail, AccountFlows.GoodPassword);
        var slug = $"team-{Guid.NewGuid():N}"[..24];
        var founded = await factory.WithScopeAsync(sp => sp.GetRequiredService<TenantFounding>().CreateAsync("Team", slug, owner.Id));
        var world = new MemberWorld(factory, founded.Value!, owner.Id, Guid.Empty, ownerEmail);
        var membershipId = await world.InTenantAsync(null, db => db.Memberships.Where(m => m.UserId == owner.Id).Select(m => m.Id).SingleAsync());
        return world with { OwnerMembershipId = membershipId };
    }

    public async Task<(Guid UserId, Guid MembershipId)> AddAsync(TenantRole role, string? email = null)
    {
        var user = await Factory.CreateConfirmedUserAsync(email ?? AccountFlows.UniqueEmail(role.ToString().ToLowerInvariant()), AccountFlows.GoodPassword);
        var membershipId = await InTenantAsync(null, async db =>
        {
            var membership = new Membership { UserId = user.Id, Role = role };
            db.Memberships.Add(membership);
            await db.SaveChangesAsync();
            return membership.Id;
        });
        return (user.Id, membershipId);
    }

    /// <summary>Acts as <paramref name="userId"/> inside the tenant, with that user's current role, as a request would.</summary>
    public async Task<Outcome> AsAsync(Guid userId, Func<MemberAdministration, Task<Outcome>> act)
    {
        var role = (await MembershipRolesByUserAsync())[userId];
        return await Factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(Tenant, role);
            return act(sp.GetRequiredService<MemberAdministration>());
        });
    }

    /// <summary>The roles in the tenant, in enum order (the column stores names, which sort differently).</summary>
    public async Task<List<TenantRole>> RolesAsync() =>
        [.. (await InTenantAsync(null, db => db.Memberships.Select(m => m.Role).ToListAsync())).Order()];

    public Task<Dictionary<Guid, TenantRole>> MembershipRolesAsync() =>
        InTenantAsync(null, db => db.Memberships.ToDictionaryAsync(m => m.Id, m => m.Role));

    private Task<Dictionary<Guid, TenantRole>> MembershipRolesByUserAsync() =>
        InTenantAsync(null, db => db.Memberships.ToDictionaryAsync(m => m.UserId, m => m.Role));

    private Task<T> InTenantAsync<T>(TenantRole? role, Func<AppDbContext, Task<T>> action) =>
        Factory.InTenantAsync(Tenant, action, role);
}
