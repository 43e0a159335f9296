using System.Net;
using Microsoft.Playwright;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Browser;

/// <summary>
/// Headless Debian Chromium against the app on a real port. Every page it opens is watched: a console error, a
/// script error or a CSP violation is recorded, and <see cref="AssertNoProblems"/> fails the test on any.
/// Each person in a journey gets a context of their own (their own cookies).
/// </summary>
internal sealed class BrowserRun : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>
    /// How long any wait of a journey may take (an action, a navigation, an expectation): generous, as CI runs this beside
    /// builds on two cores, where a sign-up's password hashing alone has taken 30 s.
    /// </summary>
    public const float Patience = 90_000;

    private readonly ITestOutputHelper output;
    private readonly string journey;
    private IPlaywright? playwright;
    private IBrowser? browser;

    private BrowserRun(ITestOutputHelper output, string journey)
    {
        this.output = output;
        this.journey = journey;
    }

    public SqliteAppFactory App { get; } = new();
    public List<string> Problems { get; } = [];

    public static async Task<BrowserRun> StartAsync(ITestOutputHelper output, string journey)
    {
        Assert.True(File.Exists(TestEnvironment.ChromiumPath),
            $"{TestEnvironment.RequireBrowserVariable}=1 but there is no Chromium at {TestEnvironment.ChromiumPath}.");
        // Playwright's expectations keep their own default (5 s), apart from the page's.
        Assertions.SetDefaultExpectTimeout(Patience);
        var run = new BrowserRun(output, journey);
        run.App.UseKestrel(0);
        run.App.StartServer();
        output.WriteLine($"App at {run.App.ClientOptions.BaseAddress}");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"); // Debian's Chromium, never a download
        run.playwright = await Playwright.CreateAsync();
        run.browser = await run.playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        return run;
    }

    /// <summary>A new person: a fresh browser context and its one watched page.</summary>
    public async Task<IPage> NewPersonAsync()
    {
        var context = await browser!.NewContextAsync(new() { BaseURL = App.ClientOptions.BaseAddress.ToString().TrimEnd('/') });
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
              console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
            """);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience);
        page.SetDefaultNavigationTimeout(Patience);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Problems.Add($"console error on {page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => Problems.Add($"script error on {page.Url}: {error}");
        return page;
    }

    public async Task<IResponse> GotoOkAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response?.Status == (int)HttpStatusCode.OK, $"{path} answered {response?.Status}: {await page.InnerTextAsync("body")}");
        return response!;
    }

    /// <summary>Registers <paramref name="email"/> with a first workspace, confirms from the dev outbox and signs in.</summary>
    public async Task SignUpAsync(IPage page, string email, string workspace, string? screenshotPrefix = null)
    {
        await GotoOkAsync(page, AccountFlows.RegisterPath);
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(AccountFlows.GoodPassword);
        await page.Locator("[name='Input.ConfirmPassword']").FillAsync(AccountFlows.GoodPassword);
        await page.Locator("[name='Input.WorkspaceName']").FillAsync(workspace);
        if (screenshotPrefix is not null) await ScreenshotAsync(page, screenshotPrefix + "-register");
        await page.Locator("form:has([name='Input.Email']) [type=submit]").First.ClickAsync();
        await WaitToLeaveAsync(page, AccountFlows.RegisterPath);
        Assert.NotNull(await App.FindUserAsync(email));

        await OpenEmailAsync(page, email);
        if (screenshotPrefix is not null) await ScreenshotAsync(page, screenshotPrefix + "-outbox");
        await page.Locator("#outbox-email a[href*='ConfirmEmail']").First.ClickAsync();
        await page.WaitForURLAsync("**/ConfirmEmail**");
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.True((await App.FindUserAsync(email))!.EmailConfirmed, "The outbox link did not confirm the account: " + await page.InnerTextAsync("body"));

        await SignInAsync(page, email);
    }

    /// <summary>Signs <paramref name="email"/> in (password <see cref="AccountFlows.GoodPassword"/>) on the sign-in page.</summary>
    public async Task SignInAsync(IPage page, string email)
    {
        await GotoOkAsync(page, AccountFlows.LoginPath);
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(AccountFlows.GoodPassword);
        await page.Locator("form:has([name='Input.Email']) [type=submit]").First.ClickAsync();
        await WaitToLeaveAsync(page, AccountFlows.LoginPath);
    }

    /// <summary>Opens the newest email to <paramref name="to"/> in the Development-only dev outbox.</summary>
    public async Task OpenEmailAsync(IPage page, string to)
    {
        await GotoOkAsync(page, "/dev/outbox");
        await page.Locator("#outbox-list a").Filter(new() { HasText = to }).First.ClickAsync();
        await page.Locator("#outbox-to").Filter(new() { HasText = to }).WaitForAsync();
    }

    /// <summary>Waits until a form post has moved the page on from <paramref name="path"/>; fails with what the page says.</summary>
    public static async Task WaitToLeaveAsync(IPage page, string path)
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

    public async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(TestEnvironment.ScreenshotsDirectory);
        var file = Path.Combine(TestEnvironment.ScreenshotsDirectory, $"{journey}-{name}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        output.WriteLine($"Screenshot {file}");
    }

    public void AssertNoProblems() =>
        Assert.True(Problems.Count == 0, "The pages reported problems:\n" + string.Join("\n", Problems));

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await App.DisposeAsync();
    }
}
