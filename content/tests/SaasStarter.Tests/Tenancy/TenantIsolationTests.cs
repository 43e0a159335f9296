using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// Isolation at the data layer, where it is enforced: queries see only the current tenant's rows, and a save
/// cannot write, change or delete another tenant's row, whatever the calling code forgot.
/// </summary>
public abstract class TenantIsolationTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Queries_see_only_the_current_tenants_rows()
    {
        var (a, _) = await TenantsAsync();

        var seen = await InTenantAsync(a, db => db.Memberships.Select(m => m.TenantId).ToListAsync());
        var outside = await factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Memberships.CountAsync());

        Assert.Equal([a.Id], seen);
        Assert.Equal(0, outside);
    }

    [ProviderFact]
    public async Task New_rows_are_stamped_with_the_current_tenant()
    {
        var (a, _) = await TenantsAsync();
        var user = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail("stamped"), AccountFlows.GoodPassword);

        var stamped = await InTenantAsync(a, async db =>
        {
            var membership = new Membership { UserId = user.Id, Role = TenantRole.Member };
            db.Memberships.Add(membership);
            await db.SaveChangesAsync();
            return membership.TenantId;
        });

        Assert.Equal(a.Id, stamped);
    }

    [ProviderFact]
    public async Task Adding_a_row_of_another_tenant_throws()
    {
        var (a, b) = await TenantsAsync();
        var user = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail("smuggled"), AccountFlows.GoodPassword);

        await Assert.ThrowsAsync<TenantIsolationException>(() => InTenantAsync(a, db =>
        {
            db.Memberships.Add(new Membership { TenantId = b.Id, UserId = user.Id, Role = TenantRole.Owner });
            return db.SaveChangesAsync();
        }));
    }

    [ProviderFact]
    public async Task Adding_a_tenant_owned_row_outside_a_tenant_throws()
    {
        var user = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail("homeless"), AccountFlows.GoodPassword);

        await Assert.ThrowsAsync<TenantIsolationException>(() => factory.WithScopeAsync(sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            db.Memberships.Add(new Membership { UserId = user.Id, Role = TenantRole.Owner });
            return db.SaveChangesAsync();
        }));
    }

    [ProviderTheory]
    [InlineData("change")]
    [InlineData("delete")]
    [InlineData("move")]
    public async Task Changing_deleting_or_moving_another_tenants_row_throws(string how)
    {
        var (a, b) = await TenantsAsync();

        await Assert.ThrowsAsync<TenantIsolationException>(() => InTenantAsync(a, async db =>
        {
            // Loaded the only way it can be from inside A: through a platform query that lifts the filter.
            var bOwner = await db.MembershipsOfUser(b.OwnerId).SingleAsync();
            switch (how)
            {
                case "change": bOwner.Role = TenantRole.Viewer; break;
                case "delete": db.Memberships.Remove(bOwner); break;
                default: bOwner.TenantId = a.Id; break;
            }
            return await db.SaveChangesAsync();
        }));
        var untouched = await InTenantAsync(b, db => db.Memberships.SingleAsync());
        Assert.Equal((b.Id, TenantRole.Owner), (untouched.TenantId, untouched.Role));
    }

    private sealed record Founded(Guid Id, string Slug, Guid OwnerId);

    private async Task<(Founded A, Founded B)> TenantsAsync() =>
        (await FoundAsync("tenant-a"), await FoundAsync("tenant-b"));

    private async Task<Founded> FoundAsync(string label)
    {
        var owner = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail(label), AccountFlows.GoodPassword);
        var slug = $"{label}-{Guid.NewGuid():N}"[..30];
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<TenantFounding>().CreateAsync(label, slug, owner.Id));
        Assert.True(result.Succeeded, result.Problem);
        return new Founded(result.Value!.Id, slug, owner.Id);
    }

    /// <summary>A unit of work acting for <paramref name="tenant"/>, as a request to /t/{slug} would.</summary>
    private Task<T> InTenantAsync<T>(Founded tenant, Func<AppDbContext, Task<T>> action) =>
        factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(new CurrentTenant(tenant.Id, tenant.Slug, tenant.Slug, IsSuspended: false));
            return action(sp.GetRequiredService<AppDbContext>());
        });

    public sealed class OnSqlite(SqliteAppFactory factory) : TenantIsolationTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : TenantIsolationTests(factory), IClassFixture<PostgresAppFactory>;
}
