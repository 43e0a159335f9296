using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SaasStarter.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EmailDeliveryClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntilUtc",
                table: "OutboxEmails",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FailedAtUtc",
                table: "OutboxEmails",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimedUntilUtc",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "FailedAtUtc",
                table: "OutboxEmails");
        }
    }
}
