using Microsoft.EntityFrameworkCore.Migrations;
using Rls = SaasStarter.Data.RowLevelSecurity;

#nullable disable

namespace SaasStarter.Migrations.Postgres
{
    /// <summary>
    /// Databases made before the policies read signed settings: creates the session key and its check, and makes every
    /// existing policy (also those of tables later migrations added) read the settings through it, so SQL run as the app's
    /// role can no longer open another tenant's rows by setting <c>app.tenant_id</c> or <c>app.platform_bypass</c> itself.
    /// On a new database RowLevelSecurity did all this already, and this changes nothing.
    /// </summary>
    public partial class VouchedSessionSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rls.CreateVouching(migrationBuilder);
            Rls.VouchExistingPolicies(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rls.VouchExistingPolicies(migrationBuilder, vouched: false);
            Rls.DropVouching(migrationBuilder);
        }
    }
}
