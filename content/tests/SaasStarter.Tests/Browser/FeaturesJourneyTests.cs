using Microsoft.Playwright;
using SaasStarter.Features;
using SaasStarter.Projects;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;

namespace SaasStarter.Tests.Browser;

/// <summary>
/// An owner in a real browser opens Plan &amp; features from the workspace, switches the beta board on, finds the Board
/// link on the projects page and the projects on the board. A screenshot of each page; any console error or CSP
/// violation fails the test.
/// </summary>
public sealed class FeaturesJourneyTests(ITestOutputHelper output)
{
    [BrowserFact]
    public async Task Owner_switches_the_beta_board_on_and_finds_the_projects_on_it()
    {
        await using var run = await BrowserRun.StartAsync(output, "features");
        var world = await MemberWorld.FoundAsync(run.App);
        var slug = world.Tenant.Slug;
        await run.App.AddProjectAsync(world.Tenant, "Apollo", "To the moon");
        await run.App.AddProjectAsync(world.Tenant, "Artemis", "Back to the moon");
        await run.App.AddProjectAsync(world.Tenant, "Gemini", "Two by two", ProjectStatus.Archived);
        var owner = await run.NewPersonAsync();
        await run.SignInAsync(owner, world.OwnerEmail);

        // From the workspace to its plan
        await run.GotoOkAsync(owner, $"/t/{slug}");
        await owner.Locator("#tenant-plan").ClickAsync();
        await owner.WaitForURLAsync($"**/t/{slug}/plan");
        await Assertions.Expect(owner.Locator("#plan-name")).ToHaveTextAsync("Free");
        await Assertions.Expect(owner.Locator("[data-limit='projects'] .limit-value")).ToHaveTextAsync("3 of 25 projects");
        await Assertions.Expect(owner.GetByRole(AriaRole.Meter, new() { Name = "Projects" })).ToHaveAttributeAsync("aria-valuetext", "3 of 25 projects");
        var row = owner.Locator($"#features-table tr[data-feature='{ProjectFeatures.Board}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-on", "false");
        await run.ScreenshotAsync(owner, "01-plan");

        // The beta board, switched on
        await row.GetByRole(AriaRole.Button, new() { Name = "On", Exact = true }).ClickAsync();
        await Assertions.Expect(owner.Locator("#plan-notice")).ToContainTextAsync("ProjectBoard is switched on");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-on", "true");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-source", "Owner");
        await run.ScreenshotAsync(owner, "02-switched-on");

        // The projects page now links to the board, which shows the projects by status
        await run.GotoOkAsync(owner, $"/t/{slug}/projects");
        await Assertions.Expect(owner.Locator("#project-board-link")).ToBeVisibleAsync();
        await run.ScreenshotAsync(owner, "03-projects");
        await owner.Locator("#project-board-link").ClickAsync();
        await owner.WaitForURLAsync($"**/t/{slug}/projects/board");
        await Assertions.Expect(owner.Locator("#project-board [data-status='Active'] [data-project]")).ToHaveCountAsync(2);
        await Assertions.Expect(owner.Locator("#project-board [data-status='Archived'] [data-project]")).ToContainTextAsync("Gemini");
        await run.ScreenshotAsync(owner, "04-board");

        // A card leads to its project
        await owner.Locator("#project-board [data-project]").Filter(new() { HasText = "Apollo" }).Locator("a").ClickAsync();
        await Assertions.Expect(owner.Locator("#project-title")).ToHaveTextAsync("Apollo");

        run.AssertNoProblems();
    }
}
