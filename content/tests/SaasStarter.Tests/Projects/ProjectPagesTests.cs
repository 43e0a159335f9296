using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Projects;

/// <summary>The example module end to end: permissions decide who writes, the tenant decides what exists.</summary>
public abstract class ProjectPagesTests(AppFactory factory)
{
    [ProviderFact]
    public async Task A_member_creates_edits_archives_and_restores_a_project()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("maker");
        await world.AddAsync(TenantRole.Member, email);
        using var session = await factory.SignedInSessionAsync(email);

        var form = await session.GetAsync($"/t/{world.Tenant.Slug}/projects/new");
        var created = await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = "Apollo", ["Input.Description"] = "To the moon" }, "#project-form");
        Assert.True(WebSession.IsRedirect(created.StatusCode), $"create answered {(int)created.StatusCode}");
        var page = await session.FollowAsync(created);
        Assert.Equal("Apollo", page.Document.QuerySelector("#project-title")?.TextContent);

        var edited = await session.SubmitAsync(page, new Dictionary<string, string> { ["Input.Name"] = "Apollo 11" }, "#project-form");
        var archived = await session.SubmitAsync(await session.FollowAsync(edited), new Dictionary<string, string>(), "#project-status-form");
        var afterArchive = await session.FollowAsync(archived);
        Assert.True(afterArchive.Document.QuerySelector("#project-archived") is not null,
            $"{(int)edited.StatusCode} then {(int)archived.StatusCode} → {afterArchive.Address}: {WebSession.Excerpt(afterArchive)}");

        var project = await factory.InTenantAsync(world.Tenant, db => db.Projects.SingleAsync());
        Assert.Equal(("Apollo 11", ProjectStatus.Archived, world.Tenant.Id), (project.Name, project.Status, project.TenantId));
        var active = await session.GetAsync($"/t/{world.Tenant.Slug}/projects");
        Assert.Empty(active.Document.QuerySelectorAll("#project-list [data-project]"));
        var archivedList = await session.GetAsync($"/t/{world.Tenant.Slug}/projects?archived=true");
        Assert.Single(archivedList.Document.QuerySelectorAll("#project-list [data-project]"));
    }

    [ProviderFact]
    public async Task A_viewer_reads_projects_but_cannot_create_or_change_them()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var project = await factory.InTenantAsync(world.Tenant, async db =>
        {
            var added = new Project { Name = "Read me" };
            db.Projects.Add(added);
            await db.SaveChangesAsync();
            return added;
        });
        var email = AccountFlows.UniqueEmail("looker");
        await world.AddAsync(TenantRole.Viewer, email);
        using var session = await factory.SignedInSessionAsync(email);

        var list = await session.GetAsync($"/t/{world.Tenant.Slug}/projects");
        var view = await session.GetAsync($"/t/{world.Tenant.Slug}/projects/{project.Id}");
        var create = await session.GetAsync($"/t/{world.Tenant.Slug}/projects/new");
        var token = view.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        var archive = await session.Client.PostAsync($"/t/{world.Tenant.Slug}/projects/{project.Id}?handler=Archive",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Single(list.Document.QuerySelectorAll("#project-list [data-project]"));
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Null(view.Document.QuerySelector("#save-project"));
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.Equal(HttpStatusCode.Forbidden, archive.StatusCode);
        Assert.Equal(ProjectStatus.Active, (await factory.InTenantAsync(world.Tenant, db => db.Projects.SingleAsync())).Status);
    }

    [ProviderFact]
    public async Task Another_tenants_project_id_is_404_even_inside_your_own_workspace()
    {
        var mine = await MemberWorld.FoundAsync(factory);
        var theirs = await MemberWorld.FoundAsync(factory);
        var secret = await factory.InTenantAsync(theirs.Tenant, async db =>
        {
            var added = new Project { Name = "Their secret" };
            db.Projects.Add(added);
            await db.SaveChangesAsync();
            return added;
        });
        using var session = await factory.SignedInSessionAsync(mine.OwnerEmail);

        var page = await session.GetAsync($"/t/{mine.Tenant.Slug}/projects/{secret.Id}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Their secret", page.Html, StringComparison.Ordinal);
    }

    [ProviderFact]
    public async Task An_edit_that_loses_a_race_to_another_writer_says_so_and_overwrites_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var project = await factory.InTenantAsync(world.Tenant, async db =>
        {
            var added = new Project { Name = "Apollo" };
            db.Projects.Add(added);
            await db.SaveChangesAsync();
            return added;
        });
        await using var interloper = new ProjectInterloper(factory, world.Tenant, project.Id);
        using var session = new WebSession(interloper.App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }));
        Assert.True(WebSession.IsRedirect((await AccountFlows.SignInAsync(session, world.OwnerEmail, AccountFlows.GoodPassword)).StatusCode));

        var form = await session.GetAsync($"/t/{world.Tenant.Slug}/projects/{project.Id}");
        var saved = await WebSession.ReadAsync(await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = "Mine" }, "#project-form"));

        Assert.True(interloper.Struck);
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Contains("Someone else changed this project", saved.Document.QuerySelector("#project-form .alert")?.TextContent);
        Assert.Equal("Mine", saved.Document.QuerySelector("#Input_Name")?.GetAttribute("value"));
        var stored = await factory.InTenantAsync(world.Tenant, db => db.Projects.AsNoTracking().SingleAsync());
        Assert.Equal((ProjectInterloper.TheirName, 2), (stored.Name, stored.Version));
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : ProjectPagesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : ProjectPagesTests(factory), IClassFixture<PostgresAppFactory>;
}
