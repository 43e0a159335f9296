using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
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
        var list = $"/t/{world.Tenant.Slug}/projects";

        var form = await session.GetAsync($"{list}/new");
        var created = await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = "Apollo", ["Input.Description"] = "To the moon" }, "#project-form");
        Assert.True(WebSession.IsRedirect(created.StatusCode), $"create answered {(int)created.StatusCode}");
        var page = await session.FollowAsync(created);
        Assert.Equal("Apollo", page.Document.QuerySelector("#project-title")?.TextContent);

        var edited = await session.SubmitAsync(page, new Dictionary<string, string> { ["Input.Name"] = "Apollo 11" }, "#project-form");
        Assert.True(WebSession.IsRedirect(edited.StatusCode), $"edit answered {(int)edited.StatusCode}");
        var afterEdit = await session.FollowAsync(edited);
        Assert.Equal(("Apollo 11", "To the moon"), (afterEdit.Document.QuerySelector("#project-title")?.TextContent,
            afterEdit.Document.QuerySelector("#Input_Description")?.TextContent.Trim()));
        Assert.Null(afterEdit.Document.QuerySelector("#project-archived"));

        var archived = await session.SubmitAsync(afterEdit, NoFields, "#project-status-form");
        var afterArchive = await session.FollowAsync(archived);
        Assert.True(afterArchive.Document.QuerySelector("#project-archived") is not null,
            $"{(int)archived.StatusCode} → {afterArchive.Address}: {WebSession.Excerpt(afterArchive)}");
        Assert.Equal("Restore project", StatusButton(afterArchive));
        Assert.Equal(ProjectStatus.Archived, (await StoredAsync(world.Tenant)).Status);
        Assert.Empty(ProjectRows(await session.GetAsync(list)));
        Assert.Single(ProjectRows(await session.GetAsync(list + "?archived=true")));

        var restored = await session.SubmitAsync(afterArchive, NoFields, "#project-status-form");
        var afterRestore = await session.FollowAsync(restored);
        Assert.True(afterRestore.Document.QuerySelector("#project-archived") is null,
            $"{(int)restored.StatusCode} → {afterRestore.Address}: {WebSession.Excerpt(afterRestore)}");
        Assert.Equal("Archive project", StatusButton(afterRestore));

        var project = await StoredAsync(world.Tenant);
        Assert.Equal(("Apollo 11", "To the moon", ProjectStatus.Active, world.Tenant.Id), (project.Name, project.Description, project.Status, project.TenantId));
        Assert.Equal([project.Id.ToString()], ProjectRows(await session.GetAsync(list)));
        Assert.Empty(ProjectRows(await session.GetAsync(list + "?archived=true")));

        // The pages write through the same service as the API, so every change is audited, as the member who made it.
        var audited = await factory.InTenantAsync(world.Tenant, db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == ProjectAudit.Created || e.Action == ProjectAudit.Updated).ToListAsync());
        Assert.Equal([ProjectAudit.Created, ProjectAudit.Updated, ProjectAudit.Updated, ProjectAudit.Updated], audited.Select(e => e.Action).Order());
        Assert.All(audited, e => Assert.Equal(email, e.ActorEmail));
        Assert.Single(audited, e => e.Action == ProjectAudit.Created && e.Target == "Apollo");
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
        var token = AntiforgeryToken(view);
        var projectPath = $"/t/{world.Tenant.Slug}/projects/{project.Id}";
        var edit = await PostAsync(session, projectPath, token, new() { ["Input.Name"] = "Renamed" });
        var archive = await PostAsync(session, projectPath + "?handler=Archive", token);
        var createPost = await PostAsync(session, $"/t/{world.Tenant.Slug}/projects/new", token, new() { ["Input.Name"] = "Sneaked in" });

        Assert.Equal([project.Id.ToString()], ProjectRows(list));
        Assert.Null(list.Document.QuerySelector("#new-project"));
        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Equal("Read me", view.Document.QuerySelector("#project-title")?.TextContent);
        Assert.Null(view.Document.QuerySelector("#save-project"));
        Assert.Null(view.Document.QuerySelector("#project-status-form"));
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (edit.StatusCode, archive.StatusCode, createPost.StatusCode));
        var stored = await StoredAsync(world.Tenant);
        Assert.Equal((project.Id, "Read me", ProjectStatus.Active, 1), (stored.Id, stored.Name, stored.Status, stored.Version));
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

        var path = $"/t/{mine.Tenant.Slug}/projects/{secret.Id}";

        var page = await session.GetAsync(path);
        var token = AntiforgeryToken(await session.GetAsync($"/t/{mine.Tenant.Slug}/projects/new"));
        var edit = await PostAsync(session, path, token, new() { ["Input.Name"] = "Mine now" });
        var archive = await PostAsync(session, path + "?handler=Archive", token);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Their secret", page.Html, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (edit.StatusCode, archive.StatusCode));
        var stored = await StoredAsync(theirs.Tenant);
        Assert.Equal(("Their secret", ProjectStatus.Active, 1), (stored.Name, stored.Status, stored.Version));
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
        var stored = await StoredAsync(world.Tenant);
        Assert.Equal((ProjectInterloper.TheirName, 2), (stored.Name, stored.Version));
    }

    private static readonly Dictionary<string, string> NoFields = [];

    private Task<Project> StoredAsync(CurrentTenant tenant) => factory.InTenantAsync(tenant, db => db.Projects.AsNoTracking().SingleAsync());

    /// <summary>The ids of the projects a list page shows.</summary>
    private static List<string> ProjectRows(WebPage list) =>
        [.. list.Document.QuerySelectorAll("#project-list [data-project]").Select(row => row.GetAttribute("data-project")!)];

    private static string? StatusButton(WebPage page) => page.Document.QuerySelector("#project-status-form button")?.TextContent.Trim();

    private static string AntiforgeryToken(WebPage page)
    {
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"No anti-forgery token on {page.Address} ({(int)page.Status})");
        return token;
    }

    /// <summary>A form post a page does not offer (with a valid anti-forgery token, so only the app's rules can refuse it).</summary>
    private static Task<HttpResponseMessage> PostAsync(WebSession session, string path, string token, Dictionary<string, string>? fields = null) =>
        session.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>(fields ?? []) { ["__RequestVerificationToken"] = token }));

    public sealed class OnSqlite(SqliteAppFactory factory) : ProjectPagesTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : ProjectPagesTests(factory), IClassFixture<PostgresAppFactory>;
}
