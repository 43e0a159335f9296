using System.Globalization;

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>The api-load table: per database, the API beside the bare endpoint (medians of the rounds), and their ratio.</summary>
internal static class LoadReport
{
    public sealed record Database(string Name, IReadOnlyList<Wrk.Result> Api, IReadOnlyList<Wrk.Result> Bare);

    /// <summary>Prints the table; false when any request failed (non-2xx or a socket error), which voids the figures.</summary>
    public static bool Print(TextWriter output, IReadOnlyList<Database> databases, LoadOptions options)
    {
        var measured = options.Measured;
        output.WriteLine();
        output.WriteLine($"GET /api/v1/projects ({LoadSeed.Projects} items, a valid key) beside the same query with no auth, tenancy or rate limiting;");
        output.WriteLine($"wrk -t{measured.Threads} -c{measured.Connections}, {options.Rounds} alternating rounds of {measured.Duration.TotalSeconds:0} s; medians (min–max), {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| database | endpoint | requests/s | p50 | p99 | API ÷ bare |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var failed = false;
        foreach (var database in databases)
        {
            var api = database.Api.Select(r => r.RequestsPerSecond).ToList();
            var bare = database.Bare.Select(r => r.RequestsPerSecond).ToList();
            var apiP99 = Median(database.Api.Select(r => r.P99.TotalMilliseconds));
            var bareP99 = Median(database.Bare.Select(r => r.P99.TotalMilliseconds));
            output.WriteLine(Row(database.Name, "/api/v1/projects", database.Api,
                $"{Median(api) / Median(bare):0.00} of the requests/s, {apiP99 / bareP99:0.00}× the p99"));
            output.WriteLine(Row(database.Name, "bare", database.Bare, ""));
            foreach (var result in database.Api.Concat(database.Bare).Where(r => r.Failed > 0))
            {
                output.WriteLine($"{database.Name}: {result.Failed} of {result.Requests} requests failed; these figures do not count.");
                failed = true;
            }
        }
        return !failed;
    }

    private static string Row(string database, string endpoint, IReadOnlyList<Wrk.Result> runs, string ratio)
    {
        var rates = runs.Select(r => r.RequestsPerSecond).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {database} | {endpoint} | {Median(rates):N0} ({rates.Min():N0}–{rates.Max():N0}) | {Median(runs.Select(r => r.P50.TotalMilliseconds)):0.00} ms | {Median(runs.Select(r => r.P99.TotalMilliseconds)):0.00} ms ({runs.Min(r => r.P99.TotalMilliseconds):0.00}–{runs.Max(r => r.P99.TotalMilliseconds):0.00}) | {ratio} |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
