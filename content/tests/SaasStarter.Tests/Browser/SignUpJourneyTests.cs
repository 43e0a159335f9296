using System.Net;
using Microsoft.Playwright;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Browser;

/// <summary>
/// A person in a real (headless Chromium) browser against the app on a real port: landing, register, the
/// dev outbox's confirmation link, sign-in, dashboard. Any console error or CSP violation fails the test.
/// </summary>
public sealed class SignUpJourneyTests(ITestOutputHelper output)
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [BrowserFact]
    public async Task New_user_signs_up_confirms_from_the_dev_outbox_and_reaches_the_dashboard()
    {
        Assert.True(File.Exists(TestEnvironment.ChromiumPath),
            $"{TestEnvironment.RequireBrowserVariable}=1 but there is no Chromium at {TestEnvironment.ChromiumPath}.");
        var email = AccountFlows.UniqueEmail("browser");
        var password = AccountFlows.GoodPassword;

        await using var factory = new SqliteAppFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        var baseAddress = factory.ClientOptions.BaseAddress;
        output.WriteLine($"App at {baseAddress}");

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"); // Debian's Chromium, never a download
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        await using var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString().TrimEnd('/') });
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
            """);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000); // generous: CI runs this beside builds on two cores
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Add($"console error on {page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"script error on {page.Url}: {error}");

        // Landing
        var landing = await page.GotoAsync("/");
        Assert.Equal((int)HttpStatusCode.OK, landing!.Status);
        await ScreenshotAsync(page, "01-landing");

        // Register
        var register = await page.GotoAsync(AccountFlows.RegisterPath);
        Assert.Equal((int)HttpStatusCode.OK, register!.Status);
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.Locator("[name='Input.ConfirmPassword']").FillAsync(password);
        await page.Locator("[name='Input.WorkspaceName']").FillAsync(AccountFlows.UniqueWorkspace());
        await ScreenshotAsync(page, "02-register");
        await page.Locator("form:has([name='Input.Email']) [type=submit]").First.ClickAsync();
        await WaitToLeaveAsync(page, AccountFlows.RegisterPath);
        Assert.NotNull(await factory.FindUserAsync(email));

        // The dev outbox: open our email and click its confirmation link
        var outbox = await page.GotoAsync("/dev/outbox");
        Assert.True(outbox!.Status == (int)HttpStatusCode.OK, $"/dev/outbox answered {outbox.Status}");
        await page.Locator("#outbox-list a").Filter(new() { HasText = email }).First.ClickAsync();
        await page.Locator("#outbox-to").Filter(new() { HasText = email }).WaitForAsync();
        await ScreenshotAsync(page, "03-outbox");
        await page.Locator("#outbox-email a[href*='ConfirmEmail']").First.ClickAsync();
        await page.WaitForURLAsync("**/ConfirmEmail**");
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The outbox link did not confirm the account: " + await page.InnerTextAsync("body"));

        // Sign in, then the dashboard
        await page.GotoAsync(AccountFlows.LoginPath);
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.Locator("form:has([name='Input.Email']) [type=submit]").First.ClickAsync();
        await WaitToLeaveAsync(page, AccountFlows.LoginPath);
        var dashboard = await page.GotoAsync("/dashboard");
        Assert.Equal((int)HttpStatusCode.OK, dashboard!.Status);
        Assert.EndsWith("/dashboard", new Uri(page.Url).AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(email, await page.InnerTextAsync("body"));
        await ScreenshotAsync(page, "04-dashboard");

        Assert.True(problems.Count == 0, "The pages reported problems:\n" + string.Join("\n", problems));

        // Self-check: the watch above does see a CSP violation (an inline script the policy must block).
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.head.appendChild(s); }");
        for (var waited = 0; waited < 5000 && !problems.Any(p => p.Contains("CSP violation", StringComparison.Ordinal)); waited += 100)
        {
            await Task.Delay(100);
        }
        Assert.True(problems.Any(p => p.Contains("CSP violation", StringComparison.Ordinal)), "The CSP watch saw no violation for a blocked inline script");
        Assert.False(await page.EvaluateAsync<bool>("() => window.inlineRan === true"), "An inline script ran: the CSP does not block it");
    }

    /// <summary>Waits until a form post has moved the page on from <paramref name="path"/>; fails with what the page says.</summary>
    private static async Task WaitToLeaveAsync(IPage page, string path)
    {
        try
        {
            // The address is what counts; waiting for the next page's full load too made a busy CI machine time out.
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.Equals(path, StringComparison.OrdinalIgnoreCase),
                new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Still on {path} after submitting: {await page.InnerTextAsync("body")}");
        }
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(TestEnvironment.ScreenshotsDirectory);
        var file = Path.Combine(TestEnvironment.ScreenshotsDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        output.WriteLine($"Screenshot {file}");
    }
}
