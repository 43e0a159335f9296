using Microsoft.EntityFrameworkCore.Migrations;

namespace SaasStarter.Data;

/// <summary>
/// PostgreSQL row-level security for tenant-owned tables, used by migrations: every table of an
/// <see cref="ITenantOwned"/> entity gets <see cref="Enable"/> in the migration that creates it (a test
/// fails otherwise). Rows are visible and writable only when their <c>TenantId</c> is the connection's
/// <c>app.tenant_id</c>, or while <c>app.platform_bypass</c> is on (Tenancy's PlatformBypass).
/// FORCE makes the policies bind the table's owner too; only a superuser (or BYPASSRLS role) escapes them.
/// </summary>
public static class RowLevelSecurity
{
    public const string TenantPolicy = "tenant_isolation";
    public const string OwnRowsPolicy = "own_rows";
    public const string TokenHolderPolicy = "token_holder";
    public const string DeleteAfterPolicy = "delete_only_after";

    private const string Bypass = "coalesce(current_setting('app.platform_bypass', true), '') = 'on'";

    private static string Matches(string column, string setting) =>
        $"\"{column}\" = nullif(current_setting('{setting}', true), '')::uuid";

    public static void Enable(MigrationBuilder migration, string table) => migration.Sql(EnableSql(table));

    /// <summary>The statements <see cref="Enable"/> runs (a new tenant-owned table's migration gets them from <see cref="RowLevelSecurityDiffer"/>).</summary>
    public static string EnableSql(string table)
    {
        var tenant = $"{Matches("TenantId", "app.tenant_id")} or {Bypass}";
        return $"""
            ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
            ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;
            CREATE POLICY {TenantPolicy} ON "{table}" FOR ALL USING ({tenant}) WITH CHECK ({tenant});
            """;
    }

    /// <summary>
    /// Lets a connection also read (never write) the rows whose <paramref name="userColumn"/> is <c>app.user_id</c>:
    /// a user's own memberships across tenants (Tenancy's PlatformQueries.MembershipsOfUser).
    /// </summary>
    public static void AllowReadingOwnRows(MigrationBuilder migration, string table, string userColumn) =>
        migration.Sql($"""CREATE POLICY {OwnRowsPolicy} ON "{table}" FOR SELECT USING ({Matches(userColumn, "app.user_id")});""");

    /// <summary>
    /// Lets a connection also read (never write) the row whose <paramref name="tokenColumn"/> is what it presents in
    /// <paramref name="setting"/>: an invitation being accepted (<c>app.invitation_token</c>,
    /// Members' PlatformQueries.InvitationByTokenHash), an API key authenticating (<c>app.api_key</c>).
    /// </summary>
    public static void AllowReadingByToken(MigrationBuilder migration, string table, string tokenColumn, string setting) =>
        migration.Sql($"""CREATE POLICY {TokenHolderPolicy} ON "{table}" FOR SELECT USING ("{tokenColumn}" = nullif(current_setting('{setting}', true), ''));""");

    /// <summary>
    /// Lets rows of <paramref name="table"/> be deleted only once <paramref name="column"/> is older than
    /// <paramref name="age"/> (a PostgreSQL interval, e.g. <c>1 day</c>): a restrictive policy on top of the others, so a
    /// retention job can run while nobody (short of a superuser) can erase what was just written.
    /// </summary>
    public static void AllowDeletingOnlyAfter(MigrationBuilder migration, string table, string column, string age) =>
        migration.Sql($"""CREATE POLICY {DeleteAfterPolicy} ON "{table}" AS RESTRICTIVE FOR DELETE USING ("{column}" < now() - interval '{age}');""");

    public static void Disable(MigrationBuilder migration, string table) =>
        migration.Sql($"""
            DROP POLICY IF EXISTS {OwnRowsPolicy} ON "{table}";
            DROP POLICY IF EXISTS {TokenHolderPolicy} ON "{table}";
            DROP POLICY IF EXISTS {DeleteAfterPolicy} ON "{table}";
            DROP POLICY IF EXISTS {TenantPolicy} ON "{table}";
            ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY;
            ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;
            """);
}
