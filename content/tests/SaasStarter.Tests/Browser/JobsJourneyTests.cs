using Microsoft.Playwright;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Jobs;
using SaasStarter.Tests.Operator;

namespace SaasStarter.Tests.Browser;

/// <summary>
/// The operator in a real browser opens Jobs from the platform area, runs the history-retention job now and finds its
/// run, with their email, in the history. A screenshot of each step; any console error or CSP violation fails the test.
/// </summary>
public sealed class JobsJourneyTests(ITestOutputHelper output)
{
    [BrowserFact]
    public async Task Operator_runs_a_job_now_and_sees_its_run_in_the_history()
    {
        await using var run = await BrowserRun.StartAsync(output, "jobs");
        var operatorUser = await run.App.CreateOperatorAsync();
        var op = await run.NewPersonAsync();
        await run.SignInAsync(op, operatorUser.Email!);

        await run.GotoOkAsync(op, "/admin");
        await op.Locator("#admin-nav-jobs").ClickAsync();
        await op.WaitForURLAsync("**/admin/jobs");
        var job = op.Locator("#jobs-table tr[data-job='job-history-retention']");
        await Assertions.Expect(job.Locator(".job-next")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"03:17:00$"));
        await run.ScreenshotAsync(op, "01-jobs");

        await job.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Assertions.Expect(op.Locator("#jobs-notice")).ToContainTextAsync("is queued to run now");
        // The run is recorded as it starts and ends; once it has ended, the page shows it on the next load.
        await run.App.FinishedRunAsync(r => r.JobName == "job-history-retention" && r.RequestedBy == operatorUser.Email);
        await op.ReloadAsync();
        var row = op.Locator("#runs-table tr[data-job='job-history-retention'][data-outcome='Succeeded']");
        await Assertions.Expect(row.Locator(".run-requested-by")).ToHaveTextAsync(operatorUser.Email!);
        await run.ScreenshotAsync(op, "02-run");

        run.AssertNoProblems();
    }
}
