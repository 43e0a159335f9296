using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasStarter.Migrations.Sqlite
{
    /// <summary>
    /// Email bodies carry live links (invitations, email confirmation, password reset), so from here on they are stored
    /// encrypted (Email/OutboxBodies) and only until the email is sent or given up. The bodies stored before are in clear,
    /// and a migration cannot encrypt them (Data Protection's keys belong to the app): they all go, blanked first and then
    /// dropped with their column. An email not sent yet cannot go out without its body: it is failed for good here, with
    /// a LastError saying why (confirmation, reset and invitation emails can all be asked for again).
    /// </summary>
    public partial class ProtectOutboxBodies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "OutboxEmails" SET "FailedAtUtc" = strftime('%Y-%m-%d %H:%M:%f', 'now'),
                    "LastError" = 'Not sent: stored before email bodies were encrypted; the upgrade that encrypts them removed it. Ask for the email again.'
                WHERE "SentAtUtc" IS NULL AND "FailedAtUtc" IS NULL;
                UPDATE "OutboxEmails" SET "HtmlBody" = '';
                """);

            migrationBuilder.DropColumn(
                name: "HtmlBody",
                table: "OutboxEmails");

            migrationBuilder.AddColumn<string>(
                name: "ProtectedHtmlBody",
                table: "OutboxEmails",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProtectedHtmlBody",
                table: "OutboxEmails");

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "OutboxEmails",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}
