using System.Net;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Members;

/// <summary>The members page through HTTP: everyone in the tenant reads it, only managers change it.</summary>
public abstract class MembersPageTests(AppFactory factory)
{
    [ProviderFact]
    public async Task A_viewer_sees_the_members_but_no_controls_and_cannot_change_roles_by_posting()
    {
        var (world, viewerEmail, memberEmail) = await WorldAsync();
        using var viewer = await factory.SignedInSessionAsync(viewerEmail);

        var page = await viewer.GetAsync(MembersPath(world));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.Document.QuerySelectorAll("#members-table tr[data-member]"), row => row.GetAttribute("data-member") == memberEmail);
        Assert.Empty(page.Document.QuerySelectorAll("#members-table select[name=role]"));

        // The controls are hidden, and posting anyway changes nothing.
        var memberMembership = (await world.MembershipRolesAsync()).Single(r => r.Value == TenantRole.Member).Key;
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var posted = await viewer.Client.PostAsync(MembersPath(world) + "?handler=Role", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["membershipId"] = memberMembership.ToString(),
            ["role"] = nameof(TenantRole.Admin),
            ["__RequestVerificationToken"] = token,
        }));
        var after = await viewer.FollowAsync(posted);
        Assert.NotNull(after.Document.QuerySelector("#members-problem"));
        Assert.Equal(TenantRole.Member, (await world.MembershipRolesAsync())[memberMembership]);
    }

    [ProviderFact]
    public async Task An_owner_changes_a_role_from_the_page_and_search_narrows_the_list()
    {
        var (world, viewerEmail, memberEmail) = await WorldAsync();
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);

        var found = await owner.GetAsync(MembersPath(world) + "?q=" + Uri.EscapeDataString(memberEmail[..12]));
        var rows = found.Document.QuerySelectorAll("#members-table tr[data-member]").Select(r => r.GetAttribute("data-member")).ToList();
        Assert.Equal([memberEmail], rows);

        var page = await owner.GetAsync(MembersPath(world));
        var changed = await owner.SubmitAsync(page, new Dictionary<string, string> { ["role"] = nameof(TenantRole.Admin) },
            $"tr[data-member='{memberEmail}'] form");
        var after = await owner.FollowAsync(changed);
        Assert.True(after.Document.QuerySelector("#members-notice") is not null, $"{(int)changed.StatusCode} {changed.Headers.Location} → {after.Address}: {WebSession.Excerpt(after)}");
        Assert.Contains(TenantRole.Admin, (await world.MembershipRolesAsync()).Values);
    }

    private static string MembersPath(MemberWorld world) => $"/t/{world.Tenant.Slug}/members";

    private async Task<(MemberWorld World, string ViewerEmail, string MemberEmail)> WorldAsync()
    {
        var world = await MemberWorld.FoundAsync(factory);
        var viewerEmail = AccountFlows.UniqueEmail("viewer");
        var memberEmail = AccountFlows.UniqueEmail("member");
        await world.AddAsync(TenantRole.Viewer, viewerEmail);
        await world.AddAsync(TenantRole.Member, memberEmail);
        return (world, viewerEmail, memberEmail);
    }


    public sealed class OnSqlite(SqliteAppFactory factory) : MembersPageTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : MembersPageTests(factory), IClassFixture<PostgresAppFactory>;
}
