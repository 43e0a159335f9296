using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasStarter.ApiKeys;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// What an SQL injection or a leaked connection string could do as the app's role: it may run any SQL, set any setting,
/// try any role switch. Row-level security must still show none of another tenant's rows, because the policies accept
/// only settings the app signed with a key the role cannot read.
/// </summary>
public sealed class RowLevelSecurityAttackTests(PostgresAppFactory factory) : IClassFixture<PostgresAppFactory>
{
    [PostgresFact]
    public async Task Raw_sql_as_the_app_role_sees_none_of_a_tenants_rows_whatever_it_sets_or_switches()
    {
        var victim = await VictimAsync();
        var tables = TenantOwnedTables();
        await using var owner = await OpenAsync(factory.OwnerConnectionString);
        var ownerRole = await ScalarAsync<string>(owner, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'Memberships'");
        var invitationHash = await ScalarAsync<string>(owner, $"SELECT \"TokenHash\" FROM \"Invitations\" WHERE \"TenantId\" = '{victim.Tenant.Id}'");
        var keyId = await ScalarAsync<string>(owner, $"SELECT \"PublicId\" FROM \"ApiKeys\" WHERE \"TenantId\" = '{victim.Tenant.Id}'");
        Assert.True(await VictimRowsAsync(owner, tables, victim) >= 5, "the victim owns a membership, an invitation, a key, a project and audit events");

        var key = await factory.Services.GetRequiredService<SessionKey>().GetAsync(CancellationToken.None);
        var tenant = victim.Tenant.Id.ToString();
        string[][] settings =
        [
            ["app.tenant_id", tenant],
            ["app.platform_bypass", "on"],
            ["app.user_id", victim.OwnerId.ToString()],
            ["app.invitation_token", invitationHash],
            ["app.api_key", keyId],
            ["app.tenant_id", $"{tenant}|99999999999|{new string('0', 64)}"],
            ["app.platform_bypass", "on|99999999999|" + new string('f', 64)],
            // A real signature, made for another setting: it does not carry over.
            ["app.tenant_id", SessionKey.Sign(key, "app.user_id", tenant)],
            ["app.platform_bypass", SessionKey.Sign(key, "app.session_probe", "on")],
        ];
        foreach (var setting in settings)
        {
            await using var app = await OpenAsync(factory.AppConnectionString);
            await ExecuteAsync(app, $"SELECT set_config('{setting[0]}', '{setting[1]}', false)");
            Assert.True(await VictimRowsAsync(app, tables, victim) == 0, $"{setting[0]} = '{setting[1]}' opened the victim's rows");
            Assert.Null(await ScalarAsync<string?>(app, $"SELECT app_private.vouched('{setting[0]}')"));
        }

        string[] refused =
        [
            $"SET ROLE \"{ownerRole}\"",
            "SET ROLE postgres",
            $"SET SESSION AUTHORIZATION \"{ownerRole}\"",
            "SELECT key FROM app_private.session_key",
            "CREATE OR REPLACE FUNCTION app_private.vouched(setting text) RETURNS text LANGUAGE sql AS $$ SELECT current_setting(setting, true) $$",
            "CREATE FUNCTION app_private.always() RETURNS text LANGUAGE sql AS $$ SELECT 'on' $$",
            "UPDATE app_private.session_key SET key = '\\x00'::bytea || key",
            "ALTER TABLE \"Memberships\" DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE \"Memberships\" NO FORCE ROW LEVEL SECURITY",
            $"ALTER POLICY {RowLevelSecurity.TenantPolicy} ON \"Memberships\" USING (true)",
            $"DROP POLICY {RowLevelSecurity.TenantPolicy} ON \"Memberships\"",
            "CREATE POLICY everything ON \"Memberships\" USING (true)",
            "ALTER ROLE CURRENT_USER BYPASSRLS",
        ];
        foreach (var sql in refused)
        {
            await using var app = await OpenAsync(factory.AppConnectionString);
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, sql));
            Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
            Assert.Equal(0, await VictimRowsAsync(app, tables, victim));
        }

        // Row security off: a query it would affect is refused, never run unfiltered.
        await using (var app = await OpenAsync(factory.AppConnectionString))
        {
            await ExecuteAsync(app, "SET row_security = off");
            var off = await Assert.ThrowsAsync<PostgresException>(() => VictimRowsAsync(app, tables, victim));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, off.SqlState);
        }

        // The control: the same connection with the value the app itself signs sees the rows, so the checks above can fail.
        await using (var app = await OpenAsync(factory.AppConnectionString))
        {
            await ExecuteAsync(app, $"SELECT set_config('app.tenant_id', '{SessionKey.Sign(key, "app.tenant_id", tenant)}', false)");
            Assert.True(await VictimRowsAsync(app, tables, victim) >= 5);
        }
    }

    [PostgresFact]
    public async Task A_database_made_before_signed_settings_is_closed_by_the_migration_and_opened_again_by_its_down()
    {
        await using var own = new PostgresAppFactory();
        var victim = await VictimAsync(own);
        var tables = TenantOwnedTables(own);

        await MigrateAsync(own, "20261203115104_RowLevelSecurity");
        Assert.True(await RowsWithPlainTenantSettingAsync(own, tables, victim) >= 5, "before the migration a plain setting opened them");
        await MigrateAsync(own, null);
        Assert.Equal(0, await RowsWithPlainTenantSettingAsync(own, tables, victim));
    }

    private static async Task MigrateAsync(PostgresAppFactory factory, string? target)
    {
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            db.Database.SetConnectionString(factory.OwnerConnectionString);
            await db.GetService<IMigrator>().MigrateAsync(target);
            return true;
        });
    }

    private static async Task<long> RowsWithPlainTenantSettingAsync(PostgresAppFactory factory, List<string> tables, MemberWorld victim)
    {
        await using var app = await OpenAsync(factory.AppConnectionString);
        await ExecuteAsync(app, $"SELECT set_config('app.tenant_id', '{victim.Tenant.Id}', false)");
        return await VictimRowsAsync(app, tables, victim);
    }

    private Task<MemberWorld> VictimAsync() => VictimAsync(factory);

    private static async Task<MemberWorld> VictimAsync(PostgresAppFactory factory)
    {
        var invitations = await InvitationWorld.FoundAsync(factory);
        var victim = invitations.Members;
        Assert.True((await invitations.InviteAsync(AccountFlows.UniqueEmail("invited"))).Succeeded);
        await factory.WithScopeAsync(async sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(victim.Tenant, TenantRole.Owner);
            var key = await sp.GetRequiredService<ApiKeyIssuer>().CreateAsync(victim.OwnerId, "victim key", [ProjectPermissions.Read], null);
            Assert.True(key.Succeeded, key.Problem);
            var db = sp.GetRequiredService<AppDbContext>();
            db.Projects.Add(new Project { Name = "Victim's secret project" });
            return await db.SaveChangesAsync();
        });
        return victim;
    }

    private List<string> TenantOwnedTables() => TenantOwnedTables(factory);

    private static List<string> TenantOwnedTables(PostgresAppFactory factory) =>
        [.. factory.Services.CreateScope().ServiceProvider.GetRequiredService<AppDbContext>().Model.GetEntityTypes()
            .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType))
            .Select(t => t.GetTableName()!)
            .Distinct()];

    private static async Task<long> VictimRowsAsync(NpgsqlConnection connection, List<string> tables, MemberWorld victim)
    {
        long rows = 0;
        foreach (var table in tables)
        {
            rows += await ScalarAsync<long>(connection, $"SELECT count(*) FROM \"{table}\" WHERE \"TenantId\" = '{victim.Tenant.Id}'");
        }
        return rows;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? default! : (T)value!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
