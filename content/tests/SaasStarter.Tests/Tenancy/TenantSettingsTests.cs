using System.Net;
using SaasStarter.Audit;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Tenancy;

/// <summary>Renaming a workspace and changing its address: old links redirect members, nobody else learns anything.</summary>
public abstract class TenantSettingsTests(AppFactory factory)
{
    [ProviderFact]
    public async Task An_owner_renames_and_readdresses_the_workspace_and_old_links_redirect_members()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var old = world.Tenant.Slug;
        var fresh = $"moved-{Guid.NewGuid():N}"[..24];
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);

        var settings = await owner.GetAsync($"/t/{old}/settings");
        await owner.SubmitAsync(settings, new Dictionary<string, string> { ["Name"] = "Renamed Ltd" }, "#name-form");
        var moved = await owner.SubmitAsync(await owner.GetAsync($"/t/{old}/settings"), new Dictionary<string, string> { ["NewSlug"] = fresh }, "#address-form");

        Assert.Equal($"/t/{fresh}/settings", moved.Headers.Location?.OriginalString);
        var home = await owner.GetAsync($"/t/{fresh}");
        Assert.Equal("Renamed Ltd", home.Document.QuerySelector("#tenant-name")?.TextContent);
        var oldLink = await owner.Client.GetAsync($"/t/{old}/members?p=1");
        Assert.Equal(HttpStatusCode.Redirect, oldLink.StatusCode);
        Assert.Equal($"/t/{fresh}/members?p=1", oldLink.Headers.Location?.OriginalString);
        var changes = await factory.InTenantAsync(world.Tenant, db =>
            db.AuditEvents.CountAsync(e => e.Action == TenantAudit.SettingsChanged));
        Assert.Equal(2, changes);
    }

    [ProviderFact]
    public async Task An_old_address_is_404_for_non_members_and_cannot_be_taken_by_another_workspace()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var old = world.Tenant.Slug;
        var fresh = $"new-{Guid.NewGuid():N}"[..24];
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var moved = await owner.SubmitAsync(await owner.GetAsync($"/t/{old}/settings"), new Dictionary<string, string> { ["NewSlug"] = fresh }, "#address-form");
        // The workspace really moved: otherwise the address below would be 404 and taken simply as anyone else's.
        Assert.Equal($"/t/{fresh}/settings", moved.Headers.Location?.OriginalString);
        var strangerEmail = AccountFlows.UniqueEmail("stranger");
        await factory.CreateConfirmedUserAsync(strangerEmail, AccountFlows.GoodPassword);
        using var stranger = await factory.SignedInSessionAsync(strangerEmail);

        var probe = await stranger.Client.GetAsync($"/t/{old}");
        var form = await stranger.GetAsync("/tenants/new");
        var takeOver = await stranger.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = "Squatter", ["Input.Slug"] = old }, "#new-tenant-form");

        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, takeOver.StatusCode);
        var page = await WebSession.ReadAsync(takeOver);
        Assert.NotEmpty(page.Document.QuerySelector("[data-valmsg-for='Input.Slug']")?.TextContent.Trim() ?? "");
    }

    [ProviderFact]
    public async Task A_member_without_tenant_settings_gets_403()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var email = AccountFlows.UniqueEmail("plain");
        await world.AddAsync(TenantRole.Member, email);
        using var member = await factory.SignedInSessionAsync(email);

        var settings = await member.GetAsync($"/t/{world.Tenant.Slug}/settings");

        Assert.Equal(HttpStatusCode.Forbidden, settings.Status);
    }


    public sealed class OnSqlite(SqliteAppFactory factory) : TenantSettingsTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : TenantSettingsTests(factory), IClassFixture<PostgresAppFactory>;
}
