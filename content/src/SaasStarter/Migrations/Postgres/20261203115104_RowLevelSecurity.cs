using Microsoft.EntityFrameworkCore.Migrations;
using Rls = SaasStarter.Data.RowLevelSecurity;

#nullable disable

namespace SaasStarter.Migrations.Postgres
{
    /// <summary>
    /// Row-level security for the tables Initial created, kept as a step of its own so it reads as one list: every
    /// tenant-owned table is confined to the connection's tenant; memberships, invitations and API keys can also be read
    /// by the one user, token or key a connection presents; audit events can be deleted only once a day old. Tables that
    /// later migrations create for tenant-owned entities get their policy in that migration (Data/RowLevelSecurityDiffer).
    /// The app role's grants depend on its name, so the migrator makes them (DatabaseMigrator). The policies read the
    /// connection's settings only when the app signed them (Rls.CreateVouching; databases made before that were changed
    /// by VouchedSessionSettings).
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        private static readonly string[] TenantOwned =
            ["Memberships", "AuditEvents", "Projects", "Invitations", "ApiKeys", "IdempotencyRecords", "FeatureOverrides"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rls.CreateVouching(migrationBuilder);
            foreach (var table in TenantOwned) Rls.Enable(migrationBuilder, table);
            Rls.AllowReadingOwnRows(migrationBuilder, "Memberships", "UserId");
            Rls.AllowReadingByToken(migrationBuilder, "Invitations", "TokenHash", "app.invitation_token");
            Rls.AllowReadingByToken(migrationBuilder, "ApiKeys", "PublicId", "app.api_key");
            Rls.AllowDeletingOnlyAfter(migrationBuilder, "AuditEvents", "OccurredAtUtc", "1 day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in TenantOwned) Rls.Disable(migrationBuilder, table);
            Rls.DropVouching(migrationBuilder);
        }
    }
}
