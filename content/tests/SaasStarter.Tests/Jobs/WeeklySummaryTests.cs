using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
using SaasStarter.Features;
using SaasStarter.Jobs;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tenants;
using SaasStarter.Email;

namespace SaasStarter.Tests.Jobs;

/// <summary>The Monday email: to owners and admins, with the week's figures, once per ISO week, and not where switched off.</summary>
public abstract class WeeklySummaryTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Owners_and_admins_get_the_weeks_figures_once_however_often_it_runs()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var adminEmail = AccountFlows.UniqueEmail("admin");
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.AddAsync(TenantRole.Admin, adminEmail);
        await world.AddAsync(TenantRole.Member, memberEmail);
        var now = DateTime.UtcNow;
        await ProjectAsync(world, "Quiet", created: now.AddDays(-20), updated: now.AddDays(-20));
        await ProjectAsync(world, "Edited", created: now.AddDays(-20), updated: now.AddDays(-2));
        await ProjectAsync(world, "New", created: now.AddHours(-1), updated: now.AddHours(-1));
        await ProjectAsync(world, "Shelved", created: now.AddDays(-20), updated: now.AddDays(-1), ProjectStatus.Archived);
        await ProjectAsync(world, "Long shelved", created: now.AddDays(-60), updated: now.AddDays(-30), ProjectStatus.Archived);

        (await factory.RunNowAsync(WeeklySummary.Definition.Name, world.Tenant.Id)).AssertSucceeded();
        (await factory.RunNowAsync(WeeklySummary.Definition.Name, world.Tenant.Id)).AssertSucceeded();

        Assert.Equal(1, await EmailsToAsync(world.OwnerEmail));
        Assert.Equal(1, await EmailsToAsync(adminEmail));
        Assert.Equal(0, await EmailsToAsync(memberEmail));
        var body = (await factory.LatestEmailToAsync(world.OwnerEmail))!.HtmlBody;
        Assert.Contains("Projects created: 1<", body, StringComparison.Ordinal);
        Assert.Contains("Projects updated: 1<", body, StringComparison.Ordinal);
        Assert.Contains("Projects archived: 1<", body, StringComparison.Ordinal);
        Assert.Contains("3 active and 2 archived projects", body, StringComparison.Ordinal);
        Assert.Contains($"/t/{world.Tenant.Slug}/projects", body, StringComparison.Ordinal);
        var sent = await factory.EventsAsync(world.Tenant, ProjectAudit.WeeklySummarySent);
        Assert.Equal(WeeklySummary.WeekOf(DateTime.UtcNow), Assert.Single(sent).Target);
    }

    [ProviderFact]
    public async Task A_workspace_whose_owner_switched_it_off_is_skipped_and_gets_no_email()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var switched = await factory.WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
            return sp.GetRequiredService<FeatureSwitches>().SetOwnerAsync(ProjectFeatures.WeeklySummary, false);
        });
        Assert.True(switched.Succeeded, switched.Problem);

        var run = await factory.RunNowAsync(WeeklySummary.Definition.Name, world.Tenant.Id);

        Assert.Equal(JobOutcome.Skipped, run.Outcome);
        Assert.Equal($"feature {ProjectFeatures.WeeklySummary} is off for the workspace", run.Error);
        Assert.Equal(0, await EmailsToAsync(world.OwnerEmail));
        Assert.Empty(await factory.EventsAsync(world.Tenant, ProjectAudit.WeeklySummarySent));
    }

    [Fact]
    public void The_week_key_is_the_iso_week() =>
        Assert.Equal(["2026-W53", "2027-W01", "2026-W48"],
            new[] { new DateTime(2027, 1, 3, 23, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 4, 7, 0, 0, DateTimeKind.Utc),
                new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc) }.Select(WeeklySummary.WeekOf));

    private Task<int> EmailsToAsync(string to) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<SaasStarter.Data.AppDbContext>().OutboxEmails.CountAsync(e => e.To == to));

    /// <summary>A project with the given dates (written around the save, which stamps its own).</summary>
    private Task ProjectAsync(MemberWorld world, string name, DateTime created, DateTime updated, ProjectStatus status = ProjectStatus.Active) =>
        factory.InTenantAsync(world.Tenant, async db =>
        {
            var project = new Project { Name = name, Status = status, CreatedAtUtc = created };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            return await db.Projects.Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAtUtc, updated));
        });

    public sealed class OnSqlite(SqliteAppFactory factory) : WeeklySummaryTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : WeeklySummaryTests(factory), IClassFixture<PostgresAppFactory>;
}
