using Microsoft.EntityFrameworkCore.Migrations;

namespace SaasStarter.Data;

/// <summary>
/// PostgreSQL row-level security for tenant-owned tables, used by migrations: every table of an
/// <see cref="ITenantOwned"/> entity gets <see cref="Enable"/> in the migration that creates it (a test
/// fails otherwise). Rows are visible and writable only when their <c>TenantId</c> is the connection's
/// <c>app.tenant_id</c>, or while <c>app.platform_bypass</c> is on (Tenancy's PlatformBypass).
/// FORCE makes the policies bind the table's owner too; only a superuser (or BYPASSRLS role) escapes them.
/// </summary>
/// <remarks>
/// The app's role may set any <c>app.*</c> setting itself (an SQL injection could), so the policies never read one
/// directly: they read it through <c>app_private.vouched</c>, which returns a value only when the app signed it with
/// the session key (<see cref="SessionKey"/>), a key kept where the app's role cannot read it. A value set by hand, or
/// whose signature has expired, counts as empty: no rows.
/// </remarks>
public static class RowLevelSecurity
{
    public const string TenantPolicy = "tenant_isolation";
    public const string OwnRowsPolicy = "own_rows";
    public const string TokenHolderPolicy = "token_holder";
    public const string DeleteAfterPolicy = "delete_only_after";

    /// <summary>
    /// The value of a session setting when the app signed it, else null; evaluated once per query. Unvouched: read as
    /// set (before <see cref="VouchExistingPolicies"/>, kept only to undo it).
    /// </summary>
    private static string Read(string setting, bool vouched = true) => vouched
        ? $"(SELECT app_private.vouched('{setting}'))"
        : $"nullif(current_setting('{setting}', true), '')";

    private static string TenantCheck(bool vouched = true) =>
        $"\"TenantId\" = {Read("app.tenant_id", vouched)}::uuid OR coalesce({Read("app.platform_bypass", vouched)}, '') = 'on'";

    private static string OwnRows(string userColumn, bool vouched = true) => $"\"{userColumn}\" = {Read("app.user_id", vouched)}::uuid";

    private static string TokenHolder(string tokenColumn, string setting, bool vouched = true) =>
        $"\"{tokenColumn}\" = {Read(setting, vouched)}";

    /// <summary>
    /// The session key (random, made here once) in a schema of its own, which the app's grants on <c>public</c> never
    /// reach, and the one function that checks signatures with it, running as its owner. Idempotent.
    /// </summary>
    public static void CreateVouching(MigrationBuilder migration) => migration.Sql("""
        CREATE SCHEMA IF NOT EXISTS app_private;
        REVOKE ALL ON SCHEMA app_private FROM PUBLIC;
        GRANT USAGE ON SCHEMA app_private TO PUBLIC;
        CREATE TABLE IF NOT EXISTS app_private.session_key (
            id int PRIMARY KEY CHECK (id = 1),
            key bytea NOT NULL CHECK (length(key) >= 32));
        REVOKE ALL ON app_private.session_key FROM PUBLIC;
        INSERT INTO app_private.session_key (id, key)
            VALUES (1, uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()))
            ON CONFLICT (id) DO NOTHING;
        CREATE OR REPLACE FUNCTION app_private.vouched(setting text) RETURNS text
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $vouched$
        DECLARE
            parts text[] := string_to_array(coalesce(current_setting(setting, true), ''), '|');
            signing_key bytea;
        BEGIN
            -- value|expiry (Unix seconds)|hex SHA-256(key || SHA-256(key || setting|value|expiry)), as SessionKey.Sign makes it
            IF coalesce(array_length(parts, 1), 0) <> 3 OR parts[2] !~ '^[0-9]{1,12}$'
                OR parts[2]::bigint < extract(epoch FROM now()) THEN
                RETURN NULL;
            END IF;
            SELECT key INTO signing_key FROM app_private.session_key WHERE id = 1;
            IF parts[3] = encode(sha256(signing_key || sha256(signing_key
                    || convert_to(setting || '|' || parts[1] || '|' || parts[2], 'UTF8'))), 'hex') THEN
                RETURN parts[1];
            END IF;
            RETURN NULL;
        END
        $vouched$;
        """);

    /// <summary>Undoes <see cref="CreateVouching"/> (the policies that call it must be gone or changed first).</summary>
    public static void DropVouching(MigrationBuilder migration) => migration.Sql("DROP SCHEMA IF EXISTS app_private CASCADE;");

    public static void Enable(MigrationBuilder migration, string table) => migration.Sql(EnableSql(table));

    /// <summary>The statements <see cref="Enable"/> runs (a new tenant-owned table's migration gets them from <see cref="RowLevelSecurityDiffer"/>).</summary>
    public static string EnableSql(string table) => $"""
        ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
        ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;
        CREATE POLICY {TenantPolicy} ON "{table}" FOR ALL USING ({TenantCheck()}) WITH CHECK ({TenantCheck()});
        """;

    /// <summary>
    /// Lets a connection also read (never write) the rows whose <paramref name="userColumn"/> is <c>app.user_id</c>:
    /// a user's own memberships across tenants (Tenancy's PlatformQueries.MembershipsOfUser).
    /// </summary>
    public static void AllowReadingOwnRows(MigrationBuilder migration, string table, string userColumn) =>
        migration.Sql($"""CREATE POLICY {OwnRowsPolicy} ON "{table}" FOR SELECT USING ({OwnRows(userColumn)});""");

    /// <summary>
    /// Lets a connection also read (never write) the row whose <paramref name="tokenColumn"/> is what it presents in
    /// <paramref name="setting"/>: an invitation being accepted (<c>app.invitation_token</c>,
    /// Members' PlatformQueries.InvitationByTokenHash), an API key authenticating (<c>app.api_key</c>).
    /// </summary>
    public static void AllowReadingByToken(MigrationBuilder migration, string table, string tokenColumn, string setting) =>
        migration.Sql($"""CREATE POLICY {TokenHolderPolicy} ON "{table}" FOR SELECT USING ({TokenHolder(tokenColumn, setting)});""");

    /// <summary>
    /// Makes the policies that an earlier version made read the settings directly read them through
    /// <c>app_private.vouched</c>: every table's tenant policy (whichever migration made it), and the narrower ones.
    /// With <paramref name="vouched"/> false it puts the direct reads back (the migration's Down).
    /// </summary>
    public static void VouchExistingPolicies(MigrationBuilder migration, bool vouched = true)
    {
        var tenant = Literal(TenantCheck(vouched));
        migration.Sql($"""
            DO $alter$
            DECLARE t record;
            BEGIN
                FOR t IN SELECT schemaname, tablename FROM pg_policies WHERE policyname = '{TenantPolicy}' LOOP
                    EXECUTE format('ALTER POLICY {TenantPolicy} ON %I.%I USING (%s) WITH CHECK (%s)',
                        t.schemaname, t.tablename, {tenant}, {tenant});
                END LOOP;
            END
            $alter$;
            ALTER POLICY {OwnRowsPolicy} ON "Memberships" USING ({OwnRows("UserId", vouched)});
            ALTER POLICY {TokenHolderPolicy} ON "Invitations" USING ({TokenHolder("TokenHash", "app.invitation_token", vouched)});
            ALTER POLICY {TokenHolderPolicy} ON "ApiKeys" USING ({TokenHolder("PublicId", "app.api_key", vouched)});
            """);
    }

    private static string Literal(string sql) => "'" + sql.Replace("'", "''", StringComparison.Ordinal) + "'";

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
