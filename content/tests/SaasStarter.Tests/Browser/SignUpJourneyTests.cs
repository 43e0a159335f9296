using Microsoft.Playwright;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Browser;

/// <summary>
/// A person in a real (headless Chromium) browser against the app on a real port: landing, register, the
/// dev outbox's confirmation link, sign-in, dashboard. Any console error or CSP violation fails the test.
/// </summary>
public sealed class SignUpJourneyTests(ITestOutputHelper output)
{
    [BrowserFact]
    public async Task New_user_signs_up_confirms_from_the_dev_outbox_and_reaches_the_dashboard()
    {
        var email = AccountFlows.UniqueEmail("browser");
        await using var run = await BrowserRun.StartAsync(output, "signup");
        var page = await run.NewPersonAsync();

        await run.GotoOkAsync(page, "/");
        await run.ScreenshotAsync(page, "01-landing");
        await run.SignUpAsync(page, email, AccountFlows.UniqueWorkspace(), "02");

        await run.GotoOkAsync(page, "/dashboard");
        Assert.EndsWith("/dashboard", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(email, await page.InnerTextAsync("body"));
        await run.ScreenshotAsync(page, "03-dashboard");

        run.AssertNoProblems();

        // Self-check: the watch above does see a CSP violation (an inline script the policy must block).
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.head.appendChild(s); }");
        await Eventually.UntilAsync(() => Task.FromResult(run.Problems.Any(p => p.Contains("CSP violation", StringComparison.Ordinal))),
            TimeSpan.FromMilliseconds(BrowserRun.Patience), "the CSP watch to see the blocked inline script");
        Assert.False(await page.EvaluateAsync<bool>("() => window.inlineRan === true"), "An inline script ran: the CSP does not block it");
    }
}
