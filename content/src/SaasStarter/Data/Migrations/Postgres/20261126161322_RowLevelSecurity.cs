using Microsoft.EntityFrameworkCore.Migrations;
using Rls = SaasStarter.Data.RowLevelSecurity;

#nullable disable

namespace SaasStarter.Data.Migrations.Postgres
{
    /// <summary>PostgreSQL row-level security on the tenant-owned tables: the backstop of the EF query filters.</summary>
    public partial class RowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rls.Enable(migrationBuilder, "Memberships");
            Rls.AllowReadingOwnRows(migrationBuilder, "Memberships", "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rls.Disable(migrationBuilder, "Memberships");
        }
    }
}
