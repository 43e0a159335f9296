using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Accounts;
using SaasStarter.Members;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Operator;

/// <summary>
/// The platform operator's actions are audited in the tenant they touch (its owners see them), and /admin/audit lists
/// every tenant's events, filtered and paged. Who may not see /admin/audit is in <see cref="OperatorAreaTests"/>.
/// </summary>
public abstract class OperatorAuditTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Suspend_and_reactivate_each_write_one_event_into_the_tenants_log_with_the_operator_as_actor()
    {
        var world = await factory.TenantWithOwnerAsync("Watched");
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);

        // Each button pressed twice from the same page, as a double click (or a second operator's open page) would.
        var active = await op.GetAsync(DetailPath(world));
        Assert.True(WebSession.IsRedirect((await op.SubmitAsync(active, NoFields, "#suspend-form")).StatusCode));
        var again = await op.FollowAsync(await op.SubmitAsync(active, NoFields, "#suspend-form"));
        Assert.Equal("Tenant was already suspended.", again.Document.QuerySelector("#tenant-notice")?.TextContent.Trim());
        var suspended = await op.GetAsync(DetailPath(world));
        Assert.True(WebSession.IsRedirect((await op.SubmitAsync(suspended, NoFields, "#reactivate-form")).StatusCode));
        Assert.True(WebSession.IsRedirect((await op.SubmitAsync(suspended, NoFields, "#reactivate-form")).StatusCode));

        var events = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action.StartsWith("operator."))
            .OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Id)
            .ToListAsync());
        Assert.Equal([TenantAudit.Suspended, TenantAudit.Reactivated], events.Select(e => e.Action));
        Assert.All(events, e =>
        {
            Assert.Equal(world.Tenant.Id, e.TenantId);
            Assert.Equal(operatorUser.Id, e.ActorUserId);
            Assert.Equal(operatorUser.Email, e.ActorEmail);
            Assert.Equal(world.Tenant.Slug, e.Target);
        });
        Assert.False(await factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Tenants
            .Where(t => t.Id == world.Tenant.Id).Select(t => t.SuspendedAtUtc != null).SingleAsync()));
    }

    [ProviderFact]
    public async Task The_tenants_owner_sees_the_operators_actions_in_the_tenants_audit_log()
    {
        var world = await factory.TenantWithOwnerAsync("Informed");
        var operatorUser = await factory.CreateOperatorAsync();
        using var op = await factory.SignedInSessionAsync(operatorUser.Email!);
        await SuspendAndReactivateAsync(op, world);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var path = $"/t/{world.Tenant.Slug}/audit";

        var all = await owner.GetAsync(path);
        var suspensions = await owner.GetAsync(path + "?type=" + TenantAudit.Suspended);

        Assert.Equal(HttpStatusCode.OK, all.Status);
        var actions = all.Document.QuerySelectorAll("#audit-table tr[data-action]").Select(r => r.GetAttribute("data-action")).ToList();
        Assert.Contains(TenantAudit.Suspended, actions);
        Assert.Contains(TenantAudit.Reactivated, actions);
        var row = Assert.Single(suspensions.Document.QuerySelectorAll("#audit-table tr[data-action]"));
        Assert.Equal(operatorUser.Email, row.QuerySelectorAll("td")[2].TextContent.Trim());
    }

    [ProviderFact]
    public async Task The_platform_audit_view_lists_every_tenants_events_newest_first_and_filters_by_tenant_action_and_actor()
    {
        var alpha = await factory.TenantWithOwnerAsync("Alpha");
        var beta = await factory.TenantWithOwnerAsync("Beta");
        (await factory.SignedInSessionAsync(alpha.OwnerEmail)).Dispose(); // a sign-in, recorded in Alpha by its owner
        var operatorUser = await factory.CreateOperatorAsync();
        var operatorEmail = operatorUser.Email!;
        using var op = await factory.SignedInSessionAsync(operatorEmail);
        await SuspendAndReactivateAsync(op, beta);

        var admin = await op.GetAsync("/admin");
        Assert.NotNull(admin.Document.QuerySelector("#admin-nav a[href='/admin/audit']"));
        var all = await RowsAsync(op, "/admin/audit");
        Assert.Equal(
            [(beta.Tenant.Slug, TenantAudit.Reactivated, operatorEmail), (beta.Tenant.Slug, TenantAudit.Suspended, operatorEmail),
             (alpha.Tenant.Slug, SignInAudit.Succeeded, alpha.OwnerEmail)],
            all.Take(3).Select(r => (r.Tenant, r.Action, r.Actor)));
        Assert.Contains(all, r => r.Tenant == alpha.Tenant.Slug && r.Action == TenantAudit.Created);
        Assert.Contains(all, r => r.Tenant == beta.Tenant.Slug && r.Action == TenantAudit.Created);
        Assert.All(all.Where(r => r.Tenant == alpha.Tenant.Slug), r => Assert.Equal(DetailPath(alpha), r.TenantLink));
        Assert.All(all.Where(r => r.Tenant == beta.Tenant.Slug), r => Assert.Equal(DetailPath(beta), r.TenantLink));

        var ofAlpha = await RowsAsync(op, "/admin/audit?tenant=" + alpha.Tenant.Slug.ToUpperInvariant());
        Assert.Equal([SignInAudit.Succeeded, TenantAudit.Created], ofAlpha.Select(r => r.Action));
        Assert.All(ofAlpha, r => Assert.Equal(alpha.Tenant.Slug, r.Tenant));

        var suspensions = await RowsAsync(op, "/admin/audit?type=" + TenantAudit.Suspended);
        Assert.All(suspensions, r => Assert.Equal(TenantAudit.Suspended, r.Action));
        Assert.Contains(suspensions, r => r.Tenant == beta.Tenant.Slug);
        Assert.DoesNotContain(suspensions, r => r.Tenant == alpha.Tenant.Slug);

        var byAlphasOwner = await RowsAsync(op, "/admin/audit?actor=" + Uri.EscapeDataString(alpha.OwnerEmail[..20].ToUpperInvariant()));
        Assert.Equal([(alpha.Tenant.Slug, SignInAudit.Succeeded)], byAlphasOwner.Select(r => (r.Tenant, r.Action)));

        var combined = await RowsAsync(op, $"/admin/audit?tenant={beta.Tenant.Slug}&type={TenantAudit.Reactivated}"
            + "&actor=" + Uri.EscapeDataString(operatorEmail));
        Assert.Equal([(beta.Tenant.Slug, TenantAudit.Reactivated)], combined.Select(r => (r.Tenant, r.Action)));

        var nowhere = await op.GetAsync("/admin/audit?tenant=no-such-tenant");
        Assert.Empty(await RowsAsync(op, "/admin/audit?tenant=no-such-tenant"));
        Assert.Contains("No events match.", nowhere.Text);
    }

    [ProviderFact]
    public async Task The_platform_audit_view_is_paged_by_50_and_the_pager_keeps_the_filters()
    {
        var world = await factory.TenantWithOwnerAsync("Busy");
        var start = DateTime.UtcNow.AddHours(-1);
        await factory.InTenantAsync(world.Tenant, db =>
        {
            for (var i = 0; i < 55; i++)
            {
                db.AuditEvents.Add(new AuditEvent { Action = MemberAudit.Left, Target = $"member-{i:00}", OccurredAtUtc = start.AddSeconds(i) });
            }
            return db.SaveChangesAsync();
        });
        using var op = await factory.SignedInSessionAsync((await factory.CreateOperatorAsync()).Email!);

        var first = await op.GetAsync($"/admin/audit?tenant={world.Tenant.Slug}&type={MemberAudit.Left}");
        var next = first.Document.QuerySelector(".pagination a[href*='p=2']")?.GetAttribute("href");
        Assert.NotNull(next);
        var second = await op.GetAsync(next);

        Assert.Equal("55", first.Document.QuerySelector("#audit-total")?.TextContent.Trim());
        var targets = Targets(first).Concat(Targets(second)).ToList();
        Assert.Equal(50, Targets(first).Count);
        Assert.Equal(Enumerable.Range(0, 55).Reverse().Select(i => $"member-{i:00}"), targets);
    }

    private static readonly Dictionary<string, string> NoFields = [];

    private static string DetailPath(MemberWorld world) => $"/admin/tenants/{world.Tenant.Id}";

    private static async Task SuspendAndReactivateAsync(WebSession op, MemberWorld world)
    {
        var suspend = await op.SubmitAsync(await op.GetAsync(DetailPath(world)), NoFields, "#suspend-form");
        Assert.True(WebSession.IsRedirect(suspend.StatusCode), $"suspend answered {(int)suspend.StatusCode}");
        var reactivate = await op.SubmitAsync(await op.GetAsync(DetailPath(world)), NoFields, "#reactivate-form");
        Assert.True(WebSession.IsRedirect(reactivate.StatusCode), $"reactivate answered {(int)reactivate.StatusCode}");
    }

    private sealed record Row(string Tenant, string Action, string Actor, string? TenantLink);

    /// <summary>The platform audit table of <paramref name="path"/>, top to bottom.</summary>
    private static async Task<List<Row>> RowsAsync(WebSession op, string path)
    {
        var page = await op.GetAsync(path);
        Assert.True(page.Status == HttpStatusCode.OK, $"{path} answered {(int)page.Status}: {WebSession.Excerpt(page)}");
        return [.. page.Document.QuerySelectorAll("#audit-table tr[data-action]").Select(r => new Row(
            r.GetAttribute("data-tenant")!, r.GetAttribute("data-action")!,
            r.QuerySelector(".audit-actor")!.TextContent.Trim(), r.QuerySelector("a.audit-tenant")?.GetAttribute("href")))];
    }

    private static List<string> Targets(WebPage page) =>
        [.. page.Document.QuerySelectorAll("#audit-table tr[data-action] td:nth-child(5)").Select(td => td.TextContent.Trim())];

    public sealed class OnSqlite(SqliteAppFactory factory) : OperatorAuditTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : OperatorAuditTests(factory), IClassFixture<PostgresAppFactory>
    {
        /// <summary>The app's role is bound by row-level security: the platform view's query reads across tenants only in the bypass.</summary>
        [PostgresFact]
        public async Task The_platform_audit_query_sees_other_tenants_only_inside_the_platform_bypass()
        {
            var alpha = await factory.TenantWithOwnerAsync("Alpha");
            var beta = await factory.TenantWithOwnerAsync("Beta");

            var (outside, inside) = await factory.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var ours = db.AuditEventsOfAllTenants(null,
                    events => events.Where(e => e.TenantId == alpha.Tenant.Id || e.TenantId == beta.Tenant.Id));
                var outside = await ours.ToListAsync();
                using (sp.GetRequiredService<PlatformBypass>().Begin("test: the platform audit view"))
                {
                    return (outside, await ours.ToListAsync());
                }
            });

            Assert.Empty(outside);
            Assert.Equal(new[] { alpha.Tenant.Slug, beta.Tenant.Slug }.Order(), inside.Select(e => e.TenantSlug).Order());
        }
    }
}
