using System.Net;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Idempotency;
using SaasStarter.Audit;
using SaasStarter.Members;
using SaasStarter.Members.Invitations;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Core;
using SaasStarter.Projects;

namespace SaasStarter.Tests.Plans;

/// <summary>
/// The plan's Members and Projects limits at the point of use: the action that would go past one is refused, on the page
/// (on the form, with what was typed) and in the API (403, type plan-limit), in words that name the limit and the plan,
/// and nothing is written: no row, no audit event, no email.
/// </summary>
public abstract class PlanLimitTests(AppFactory factory)
{
    private const int Limit = SmallPlan<SqliteAppFactory>.Limit;
    private const string MembersWords = "The Free plan allows 3 members";
    private const string ProjectsWords = "The Free plan allows 3 projects";

    [ProviderFact]
    public async Task Inviting_past_the_members_limit_on_the_page_is_refused_on_the_form_and_writes_nothing()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        await world.Members.AddAsync(TenantRole.Member);
        Assert.True((await world.InviteAsync(AccountFlows.UniqueEmail("third"))).Succeeded, "the last seat is free");
        using var owner = await factory.SignedInSessionAsync(world.Members.OwnerEmail);
        var email = AccountFlows.UniqueEmail("fourth");
        var before = await Written.InAsync(factory, world.Tenant);

        var page = await owner.GetAsync($"/t/{world.Tenant.Slug}/invitations");
        var refused = await WebSession.ReadAsync(await owner.SubmitAsync(page,
            new Dictionary<string, string> { ["Email"] = email, ["Role"] = nameof(TenantRole.Member) }, "#invite-form"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(MembersWords, refused.Document.QuerySelector("#invite-problem")?.TextContent ?? WebSession.Excerpt(refused));
        Assert.Equal(email, refused.Document.QuerySelector("#invite-form input[name=Email]")?.GetAttribute("value"));
        Assert.Equal(before, await Written.InAsync(factory, world.Tenant));
        Assert.Null(await factory.LatestEmailToAsync(email));
    }

    [ProviderFact]
    public async Task Inviting_past_the_members_limit_through_the_api_is_a_403_plan_limit_problem_and_writes_nothing()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        await world.Members.AddAsync(TenantRole.Admin);
        var key = await world.Members.CreateKeyAsync([MemberPermissions.Invite]);
        using var last = await factory.PostJsonAsync(key, "/api/v1/invitations", new { email = AccountFlows.UniqueEmail("third"), role = "Member" });
        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        var email = AccountFlows.UniqueEmail("fourth");
        var before = await Written.InAsync(factory, world.Tenant);

        using var refused = await factory.PostJsonAsync(key, "/api/v1/invitations", new { email, role = "Member" });

        Assert.Contains(MembersWords, await refused.PlanLimitDetailAsync());
        Assert.Equal(before, await Written.InAsync(factory, world.Tenant));
        Assert.Null(await factory.LatestEmailToAsync(email));

        // A seat freed (the waiting invitation revoked), the same request goes through.
        var waiting = (await last.JsonAsync()).GetProperty("id").GetGuid();
        using (var client = factory.ApiClient(key)) Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/invitations/{waiting}")).StatusCode);
        using var accepted = await factory.PostJsonAsync(key, "/api/v1/invitations", new { email, role = "Member" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [ProviderFact]
    public async Task Resending_an_open_invitation_at_the_limit_takes_no_new_seat_but_reviving_an_expired_one_does()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        await world.Members.AddAsync(TenantRole.Member);
        var first = AccountFlows.UniqueEmail("first");
        Assert.True((await world.InviteAsync(first)).Succeeded);
        var firstId = (await world.InvitationToAsync(first)).Id;

        var resent = await world.AsAsync(invitations => invitations.ResendAsync(world.Members.OwnerId, firstId));
        Assert.True(resent.Succeeded, resent.Problem);

        // Expired, it holds no seat, and the seat goes to someone else; sending it again would take a fourth.
        await factory.InTenantAsync(world.Tenant, db => db.Invitations.Where(i => i.Id == firstId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAtUtc, DateTime.UtcNow.AddDays(-1))));
        Assert.True((await world.InviteAsync(AccountFlows.UniqueEmail("second"))).Succeeded);
        var before = await Written.InAsync(factory, world.Tenant);

        var revived = await world.AsAsync(invitations => invitations.ResendAsync(world.Members.OwnerId, firstId));

        Assert.Equal(OutcomeKind.PlanLimit, revived.Kind);
        Assert.Contains(MembersWords, revived.Problem);
        Assert.Equal(before, await Written.InAsync(factory, world.Tenant));
        Assert.Equal(InvitationState.Expired, (await world.InvitationToAsync(first)).StateAt(DateTime.UtcNow));
    }

    [ProviderFact]
    public async Task Creating_a_project_past_the_limit_on_the_page_is_refused_on_the_form_and_writes_nothing()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.SeedProjectsAsync(Limit - 1);
        using var owner = await factory.SignedInSessionAsync(world.OwnerEmail);
        var form = await owner.GetAsync($"/t/{world.Tenant.Slug}/projects/new");
        var created = await owner.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = "The last one" }, "#project-form");
        Assert.True(WebSession.IsRedirect(created.StatusCode), $"the last project answered {(int)created.StatusCode}");
        var before = await Written.InAsync(factory, world.Tenant);

        form = await owner.GetAsync($"/t/{world.Tenant.Slug}/projects/new");
        var refused = await WebSession.ReadAsync(await owner.SubmitAsync(form,
            new Dictionary<string, string> { ["Input.Name"] = "One too many", ["Input.Description"] = "kept" }, "#project-form"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(ProjectsWords, refused.Document.QuerySelector("#project-form .alert-danger")?.TextContent ?? WebSession.Excerpt(refused));
        Assert.Equal("One too many", refused.Document.QuerySelector("#Input_Name")?.GetAttribute("value"));
        Assert.Equal("New project", refused.Document.QuerySelector("#project-title")?.TextContent);
        Assert.Equal(before, await Written.InAsync(factory, world.Tenant));
        Assert.Equal(Limit, before.Projects);
    }

    [ProviderFact]
    public async Task Creating_a_project_past_the_limit_through_the_api_is_a_403_plan_limit_problem_and_writes_nothing_but_a_replay_still_replays()
    {
        var world = await MemberWorld.FoundAsync(factory);
        await world.SeedProjectsAsync(Limit - 1);
        var key = await world.CreateKeyAsync([ProjectPermissions.Read, ProjectPermissions.Write]);
        using var last = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "The last one" }, idempotencyKey: "order-1");
        Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        var before = await Written.InAsync(factory, world.Tenant);

        using var refused = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "One too many" }, idempotencyKey: "order-2");
        using var refusedPlain = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "One too many" });

        Assert.Contains(ProjectsWords, await refused.PlanLimitDetailAsync());
        Assert.Contains(ProjectsWords, await refusedPlain.PlanLimitDetailAsync());
        Assert.Equal(before, await Written.InAsync(factory, world.Tenant));

        // The create that took the last place is answered again as it was, not refused.
        using var replay = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "The last one" }, idempotencyKey: "order-1");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(["true"], replay.Headers.GetValues(IdempotentRequests.ReplayedHeader));
        Assert.Equal(last.Headers.Location, replay.Headers.Location);
        Assert.Equal(before, await Written.InAsync(factory, world.Tenant));

        // The refusal kept nothing of its idempotency key: with room again, the same request is new work.
        using (var client = factory.ApiClient(key)) Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(last.Headers.Location)).StatusCode);
        using var retried = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "One too many" }, idempotencyKey: "order-2");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains(IdempotentRequests.ReplayedHeader));
    }

    [ProviderFact]
    public async Task Another_plan_takes_effect_at_once_and_a_plan_without_the_limit_has_none()
    {
        var world = await InvitationWorld.FoundAsync(factory);
        await world.Members.SeedProjectsAsync(Limit);
        await world.Members.AddAsync(TenantRole.Member);
        await world.Members.AddAsync(TenantRole.Member);
        var key = await world.Members.CreateKeyAsync([ProjectPermissions.Write, MemberPermissions.Invite]);
        using var refused = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "Refused on Free" });
        Assert.Contains(ProjectsWords, await refused.PlanLimitDetailAsync());

        // Enterprise (appsettings) sets no Members or Projects limit; its API rate is its own.
        await world.Members.AssignPlanAsync("enterprise");

        using var project = await factory.PostJsonAsync(key, "/api/v1/projects", new { name = "Fine on Enterprise" });
        Assert.Equal(HttpStatusCode.Created, project.StatusCode);
        using var invitation = await factory.PostJsonAsync(key, "/api/v1/invitations", new { email = AccountFlows.UniqueEmail("more"), role = "Member" });
        Assert.Equal(HttpStatusCode.Created, invitation.StatusCode);
        Assert.Contains(ProjectAudit.Created, await world.AuditActionsAsync());
    }

    public sealed class OnSqlite(SmallPlan<SqliteAppFactory> plan) : PlanLimitTests(plan.Factory), IClassFixture<SmallPlan<SqliteAppFactory>>;

    public sealed class OnPostgres(SmallPlan<PostgresAppFactory> plan)
        : PlanLimitTests(plan.Factory), IClassFixture<SmallPlan<PostgresAppFactory>>, IRunsOnPostgres;
}
