using BenchmarkDotNet.Running;

namespace SaasStarter.Benchmarks;

/// <summary>
/// Runs the benchmarks (BenchmarkDotNet's command line: <c>--filter</c>, <c>--job Dry</c>, ...), then prints the SQL
/// each page issued. Exit code 1: a benchmark failed; 2: a page issued more SQL commands than
/// <see cref="SqlReport.MaxCommandsPerPage"/>. Not top-level statements: the app's own <c>Program</c> is the one
/// the benchmarks host. <c>api-load</c> as the first argument runs <see cref="ApiLoad.ApiLoadRun"/> instead, <c>jobs</c> runs <see cref="Jobs.JobsRun"/>.
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["api-load", .. var load]) return await ApiLoad.ApiLoadRun.RunAsync(load);
        if (args is ["jobs", .. var jobs]) return await Jobs.JobsRun.RunAsync(jobs);
        try
        {
            // Every benchmark of the assembly unless --filter narrows them; no interactive prompt.
            var (config, arguments) = BenchmarkConfig.Create(args);
            var summaries = BenchmarkRunner.Run(typeof(BenchmarkProgram).Assembly, config, arguments);
            var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            var withinBudget = SqlReport.Print(Console.Out, BenchApp.Started);
            return failed ? 1 : withinBudget ? 0 : 2;
        }
        finally
        {
            await BenchApp.DisposeSharedAsync();
        }
    }
}
