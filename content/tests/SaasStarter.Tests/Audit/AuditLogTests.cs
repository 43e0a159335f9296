using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Accounts;
using SaasStarter.Members;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Audit;

/// <summary>What the audit log records, who may read it, and that nobody edits it through the app.</summary>
public abstract class AuditLogTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Founding_sign_ins_and_member_changes_are_recorded_in_the_tenant()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("audited");
        var (_, membership) = await world.AddAsync(TenantRole.Member, memberEmail);
        using var session = factory.CreateSession();
        await AccountFlows.SignInAsync(session, world.OwnerEmail, "not the password at all");
        await AccountFlows.SignInAsync(session, world.OwnerEmail, AccountFlows.GoodPassword);
        await world.AsAsync(world.OwnerId, admin => admin.ChangeRoleAsync(world.OwnerId, membership, TenantRole.Viewer));

        var events = await EventsAsync(world.Tenant);

        Assert.Equal(
            [TenantAudit.Created, SignInAudit.Failed, SignInAudit.Succeeded, MemberAudit.RoleChanged],
            events.Select(e => e.Action));
        var change = events[^1];
        Assert.Equal(memberEmail, change.Target);
        Assert.Contains("\"to\":\"Viewer\"", change.Detail, StringComparison.Ordinal);
        Assert.All(events.Skip(1), e => Assert.Equal(world.OwnerId, e.ActorUserId));
    }

    [ProviderFact]
    public async Task Owners_read_and_filter_the_log_and_members_may_not()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var memberEmail = AccountFlows.UniqueEmail("reader");
        await world.AddAsync(TenantRole.Member, memberEmail);
        using var owner = factory.CreateSession();
        await AccountFlows.SignInAsync(owner, world.OwnerEmail, AccountFlows.GoodPassword);
        using var member = factory.CreateSession();
        await AccountFlows.SignInAsync(member, memberEmail, AccountFlows.GoodPassword);
        var path = $"/t/{world.Tenant.Slug}/audit";

        var all = await owner.GetAsync(path);
        var signIns = await owner.GetAsync(path + "?type=" + SignInAudit.Succeeded);
        var forbidden = await member.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Contains(TenantAudit.Created, ActionsOn(all));
        Assert.NotEmpty(ActionsOn(signIns));
        Assert.All(ActionsOn(signIns), action => Assert.Equal(SignInAudit.Succeeded, action));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
    }

    [ProviderFact]
    public async Task Events_cannot_be_changed_or_deleted_through_the_app()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var recorded = Assert.Single(await EventsAsync(world.Tenant));

        var changed = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.InTenantAsync(world.Tenant, async db =>
        {
            var stored = await db.AuditEvents.SingleAsync();
            db.Entry(stored).Property(e => e.Target).CurrentValue = "rewritten"; // init-only in C#, so as EF would change it
            Assert.Equal(EntityState.Modified, db.Entry(stored).State);
            return await db.SaveChangesAsync();
        }));
        var deleted = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.InTenantAsync(world.Tenant, async db =>
        {
            db.AuditEvents.Remove(await db.AuditEvents.SingleAsync());
            return await db.SaveChangesAsync();
        }));

        Assert.All([changed, deleted], e => Assert.Contains("append-only", e.Message, StringComparison.Ordinal));
        Assert.Equal(Json(recorded), Json(Assert.Single(await EventsAsync(world.Tenant))));
    }

    private static List<string> ActionsOn(WebPage page) =>
        [.. page.Document.QuerySelectorAll("#audit-table tr[data-action]").Select(row => row.GetAttribute("data-action")!)];

    private Task<List<AuditEvent>> EventsAsync(CurrentTenant tenant) =>
        factory.InTenantAsync(tenant, db => db.AuditEvents.AsNoTracking().OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id).ToListAsync());

    /// <summary>Every column of an event, to compare a row before and after.</summary>
    private static string Json(AuditEvent e) => JsonSerializer.Serialize(e);

    public sealed class OnSqlite(SqliteAppFactory factory) : AuditLogTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : AuditLogTests(factory), IClassFixture<PostgresAppFactory>
    {
        /// <summary>
        /// The database holds the line where the app's own guard is not asked: SQL that goes around SaveChanges, run on the
        /// app's connection (its role, inside the workspace). Retention may delete events once a day old, so a fresh one is used.
        /// </summary>
        [PostgresFact]
        public async Task Raw_sql_as_the_app_role_cannot_change_an_event_nor_delete_a_fresh_one()
        {
            var world = await MemberWorld.FoundAsync(factory);
            var recorded = Assert.Single(await EventsAsync(world.Tenant));

            var (role, visible, update, deletedRows) = await factory.InTenantAsync(world.Tenant, async db =>
            {
                var role = await db.Database.SqlQuery<string>($"SELECT current_user::text AS \"Value\"").SingleAsync();
                // The workspace's policy lets this connection see the event, so a DELETE that finds nothing was refused by retention's.
                var visible = await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM \"AuditEvents\" WHERE \"Id\" = {recorded.Id}").SingleAsync();
                var update = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync(
                    $"UPDATE \"AuditEvents\" SET \"Target\" = 'rewritten' WHERE \"Id\" = {recorded.Id}"));
                var deletedRows = await db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEvents\" WHERE \"Id\" = {recorded.Id}");
                return (role, visible, update, deletedRows);
            });

            Assert.Equal(factory.AppRole, role);
            Assert.Equal(1, visible);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(update).SqlState);
            Assert.Equal(0, deletedRows);
            Assert.Equal(Json(recorded), Json(Assert.Single(await EventsAsync(world.Tenant))));
        }
    }
}
