using Microsoft.Playwright;
using SaasStarter.Audit;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Members;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Browser;

/// <summary>
/// Two people in a real browser: an owner signs up, creates a workspace and invites a colleague; the colleague
/// accepts from the email in the dev outbox by choosing a password; the owner makes them an admin and finds all
/// of it in the audit log. A screenshot of each page; any console error or CSP violation fails the test.
/// </summary>
public sealed class TeamJourneyTests(ITestOutputHelper output)
{
    [BrowserFact]
    public async Task Owner_invites_a_colleague_who_accepts_from_the_outbox_then_changes_their_role_and_sees_it_audited()
    {
        var ownerEmail = AccountFlows.UniqueEmail("owner");
        var colleagueEmail = AccountFlows.UniqueEmail("colleague");
        await using var run = await BrowserRun.StartAsync(output, "team");
        var owner = await run.NewPersonAsync();

        await run.SignUpAsync(owner, ownerEmail, AccountFlows.UniqueWorkspace(), "01");

        // A second workspace, created from the app
        await run.GotoOkAsync(owner, "/tenants/new");
        var slug = $"crew-{Guid.NewGuid():N}"[..20];
        await owner.Locator("[name='Input.Name']").FillAsync("Launch Crew");
        await owner.Locator("[name='Input.Slug']").FillAsync(slug);
        await run.ScreenshotAsync(owner, "02-new-workspace");
        await owner.Locator("#create-tenant").ClickAsync();
        await owner.WaitForURLAsync($"**/t/{slug}");
        await Assertions.Expect(owner.Locator("#tenant-name")).ToHaveTextAsync("Launch Crew");
        await run.ScreenshotAsync(owner, "03-workspace");

        // Invite the colleague as a member
        await run.GotoOkAsync(owner, $"/t/{slug}/invitations");
        await owner.Locator("#invite-form [name=Email]").FillAsync(colleagueEmail);
        await owner.Locator("#invite-form [name=Role]").SelectOptionAsync("Member");
        await owner.Locator("#invite-form [type=submit]").ClickAsync();
        await Assertions.Expect(owner.Locator("#invitations-notice")).ToContainTextAsync(colleagueEmail);
        await Assertions.Expect(owner.Locator($"#invitations-table tr[data-invitation='{colleagueEmail}']")).ToBeVisibleAsync();
        await run.ScreenshotAsync(owner, "04-invited");

        // The colleague, in a browser of their own, accepts from the email
        var colleague = await run.NewPersonAsync();
        await run.OpenEmailAsync(colleague, colleagueEmail);
        await run.ScreenshotAsync(colleague, "05-invitation-email");
        await colleague.Locator("#outbox-email a[href*='/join/']").First.ClickAsync();
        await colleague.WaitForURLAsync("**/join/**");
        await Assertions.Expect(colleague.Locator("#invitation")).ToHaveAttributeAsync("data-offer", "CreateAccount");
        await colleague.Locator("[name='Input.Password']").FillAsync(AccountFlows.GoodPassword);
        await colleague.Locator("[name='Input.ConfirmPassword']").FillAsync(AccountFlows.GoodPassword);
        await run.ScreenshotAsync(colleague, "06-accept");
        await colleague.Locator("#create-account-form [type=submit]").ClickAsync();
        await colleague.WaitForURLAsync($"**/t/{slug}");
        await Assertions.Expect(colleague.Locator("#tenant-role")).ToHaveTextAsync("Member");
        await run.ScreenshotAsync(colleague, "07-joined");

        // The owner makes them an admin
        await run.GotoOkAsync(owner, $"/t/{slug}/members");
        var row = owner.Locator($"#members-table tr[data-member='{colleagueEmail}']");
        await row.Locator("select[name=role]").SelectOptionAsync("Admin");
        await row.Locator("button[type=submit]").First.ClickAsync();
        await Assertions.Expect(owner.Locator("#members-notice")).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator($"#members-table tr[data-member='{colleagueEmail}'] select[name=role]")).ToHaveValueAsync("Admin");
        await run.ScreenshotAsync(owner, "08-role-changed");

        // ...and sees the whole story in the audit log
        await run.GotoOkAsync(owner, $"/t/{slug}/audit");
        foreach (var action in new[] { TenantAudit.Created, MemberAudit.Invited, MemberAudit.Joined, MemberAudit.RoleChanged })
        {
            await Assertions.Expect(owner.Locator($"#audit-table tr[data-action='{action}']").First).ToBeVisibleAsync();
        }
        await run.ScreenshotAsync(owner, "09-audit");

        run.AssertNoProblems();
    }
}
