using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Data;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Operator;

/// <summary>What the operator-area tests start from: tenants with owners of their own, and platform operators.</summary>
internal static class OperatorFlows
{
    /// <summary>A tenant named <paramref name="name"/> with a unique address and its owner (a user of its own).</summary>
    public static async Task<MemberWorld> TenantWithOwnerAsync(this AppFactory factory, string name)
    {
        var ownerEmail = AccountFlows.UniqueEmail("owner");
        var owner = await factory.CreateConfirmedUserAsync(ownerEmail, AccountFlows.GoodPassword);
        var slug = $"op-{Guid.NewGuid():N}"[..24];
        var founded = await factory.WithScopeAsync(sp => sp.GetRequiredService<TenantFounding>().CreateAsync(name, slug, owner.Id));
        Assert.True(founded.Succeeded, founded.Problem);
        return new MemberWorld(factory, founded.Value!, owner.Id, Guid.Empty, ownerEmail);
    }

    /// <summary>A fresh user in the PlatformOperator role; sign in afterwards (the role is in the cookie from sign-in on).</summary>
    public static async Task<AppUser> CreateOperatorAsync(this AppFactory factory)
    {
        var user = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail("operator"), AccountFlows.GoodPassword);
        await factory.WithScopeAsync(async sp =>
        {
            var roles = sp.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
            if (!await roles.RoleExistsAsync(Roles.PlatformOperator))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(Roles.PlatformOperator) { Id = Guid.CreateVersion7() });
            }
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var added = await users.AddToRoleAsync((await users.FindByIdAsync(user.Id.ToString()))!, Roles.PlatformOperator);
            Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Description)));
            return 0;
        });
        return user;
    }
}
