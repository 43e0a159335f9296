using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// On PostgreSQL, row-level security backs up the EF query filters: raw SQL run by the app's role (neither superuser
/// nor owner, as every PostgreSQL test's app runs) sees and writes only the tenant set on its connection.
/// </summary>
public sealed class RowLevelSecurityTests(PostgresAppFactory factory) : IClassFixture<PostgresAppFactory>
{
    [PostgresFact]
    public async Task Raw_sql_as_the_app_role_with_tenant_A_set_sees_and_writes_none_of_tenant_Bs_rows()
    {
        var (a, b) = await TenantsAsync();
        await using var app = await OpenAsync(factory.AppConnectionString);

        Assert.False(await ScalarAsync<bool>(app, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
        Assert.NotEqual(factory.AppRole, await ScalarAsync<string>(app, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'Memberships'"));

        await SetAsync(app, "app.tenant_id", a.Id.ToString());
        Assert.Equal([a.Id], await TenantIdsAsync(app));

        var smuggle = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app,
            $"INSERT INTO \"Memberships\" (\"Id\", \"TenantId\", \"UserId\", \"Role\", \"CreatedAtUtc\") "
            + $"VALUES (gen_random_uuid(), '{b.Id}', '{a.OwnerId}', 'Owner', now())"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, smuggle.SqlState);
        Assert.Contains("row-level security", smuggle.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await ExecuteAsync(app, $"UPDATE \"Memberships\" SET \"Role\" = 'Viewer' WHERE \"TenantId\" = '{b.Id}'"));
        Assert.Equal(0, await ExecuteAsync(app, $"DELETE FROM \"Memberships\" WHERE \"TenantId\" = '{b.Id}'"));
        var moved = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app,
            $"UPDATE \"Memberships\" SET \"TenantId\" = '{b.Id}' WHERE \"TenantId\" = '{a.Id}'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, moved.SqlState);

        await SetAsync(app, "app.tenant_id", "");
        Assert.Empty(await TenantIdsAsync(app));

        // The same query as the server's user (a superuser passes row-level security): the test can tell the difference.
        await using var owner = await OpenAsync(factory.OwnerConnectionString);
        var all = await TenantIdsAsync(owner);
        Assert.Contains(a.Id, all);
        Assert.Contains(b.Id, all);
        var bRole = await ScalarAsync<string>(owner, $"SELECT \"Role\" FROM \"Memberships\" WHERE \"TenantId\" = '{b.Id}'");
        Assert.Equal("Owner", bRole);
    }

    [PostgresFact]
    public async Task A_users_own_memberships_are_readable_across_tenants_but_not_writable()
    {
        var (a, b) = await TenantsAsync();
        await using var app = await OpenAsync(factory.AppConnectionString);

        await SetAsync(app, "app.user_id", b.OwnerId.ToString());
        Assert.Equal([b.Id], await TenantIdsAsync(app));
        Assert.Equal(0, await ExecuteAsync(app, $"UPDATE \"Memberships\" SET \"Role\" = 'Viewer' WHERE \"UserId\" = '{b.OwnerId}'"));
        Assert.Equal(0, await ExecuteAsync(app, $"DELETE FROM \"Memberships\" WHERE \"UserId\" = '{b.OwnerId}'"));
        Assert.DoesNotContain(a.Id, await TenantIdsAsync(app));
    }

    [PostgresFact]
    public async Task The_platform_bypass_is_explicit_and_lasts_until_disposed()
    {
        var (a, b) = await TenantsAsync();
        const string sql = "SELECT \"TenantId\" AS \"Value\" FROM \"Memberships\"";

        var seen = await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var before = await db.Database.SqlQueryRaw<Guid>(sql).ToListAsync();
            List<Guid> during;
            using (sp.GetRequiredService<PlatformBypass>().Begin("test: counting every tenant's members"))
            {
                during = await db.Database.SqlQueryRaw<Guid>(sql).ToListAsync();
            }
            var after = await db.Database.SqlQueryRaw<Guid>(sql).ToListAsync();
            return (before, during, after);
        });

        Assert.Empty(seen.before);
        Assert.Contains(a.Id, seen.during);
        Assert.Contains(b.Id, seen.during);
        Assert.Empty(seen.after);
    }

    [PostgresFact]
    public async Task Every_tenant_owned_table_has_forced_row_level_security_and_a_tenant_policy()
    {
        var tables = await factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<AppDbContext>().Model
            .GetEntityTypes()
            .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType))
            .Select(t => t.GetTableName()!)
            .Distinct()
            .ToList()));
        Assert.Contains("Memberships", tables);

        await using var owner = await OpenAsync(factory.OwnerConnectionString);
        var missing = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                "SELECT c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policies p "
                + "WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = @policy AND p.cmd = 'ALL') "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = @table",
                owner);
            command.Parameters.AddWithValue("table", table);
            command.Parameters.AddWithValue("policy", RowLevelSecurity.TenantPolicy);
            if (await command.ExecuteScalarAsync() is not true) missing.Add(table);
        }
        Assert.True(missing.Count == 0,
            "Tenant-owned tables without ENABLE + FORCE ROW LEVEL SECURITY and a tenant policy (call RowLevelSecurity.Enable "
            + "in their migration): " + string.Join(", ", missing));
    }

    private sealed record Founded(Guid Id, Guid OwnerId);

    private async Task<(Founded A, Founded B)> TenantsAsync() => (await FoundAsync("rls-a"), await FoundAsync("rls-b"));

    private async Task<Founded> FoundAsync(string label)
    {
        var owner = await factory.CreateConfirmedUserAsync(AccountFlows.UniqueEmail(label), AccountFlows.GoodPassword);
        var slug = $"{label}-{Guid.NewGuid():N}"[..30];
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<TenantFounding>().CreateAsync(label, slug, owner.Id));
        Assert.True(result.Succeeded, result.Problem);
        return new Founded(result.Value!.Id, owner.Id);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Sets <paramref name="setting"/> as the app does: signed with its session key.</summary>
    private async Task SetAsync(NpgsqlConnection connection, string setting, string value)
    {
        var key = await factory.Services.GetRequiredService<SessionKey>().GetAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT set_config(@setting, @value, false)", connection);
        command.Parameters.AddWithValue("setting", setting);
        command.Parameters.AddWithValue("value", SessionKey.Sign(key, setting, value));
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<Guid>> TenantIdsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT DISTINCT \"TenantId\" FROM \"Memberships\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
