using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SaasStarter.Benchmarks;

/// <summary>The SQL each measured page issued for one request, printed once after the run and held to a budget.</summary>
public static partial class SqlReport
{
    /// <summary>More commands than this for one page is an N+1 (a query per row) or a page doing too much.</summary>
    public const int MaxCommandsPerPage = 10;

    private static readonly ConcurrentDictionary<string, (SqlTrace Trace, int HtmlLength)> Traces = new();

    public static void Add(TenantPage page, SqlTrace trace, int htmlLength) => Traces[page.Name] = (trace, htmlLength);

    /// <summary>Prints the table and every page's SQL; false when a page is over <see cref="MaxCommandsPerPage"/>.</summary>
    public static bool Print(TextWriter output, BenchApp? app)
    {
        if (Traces.IsEmpty) return true;
        var pages = TenantPage.All.Where(p => Traces.ContainsKey(p.Name)).ToList();
        var width = Math.Max(4, pages.Max(p => p.Name.Length));

        output.WriteLine();
        output.WriteLine($"SQL per request on {app?.DatabaseDescription}, after one request filled the caches:");
        output.WriteLine();
        output.WriteLine($"| {"page".PadRight(width)} | SQL commands | connections opened | HTML (KB) |");
        output.WriteLine($"|{new string('-', width + 2)}|-------------:|-------------------:|----------:|");
        foreach (var page in pages)
        {
            var (trace, html) = Traces[page.Name];
            output.WriteLine($"| {page.Name.PadRight(width)} | {trace.Commands.Count,12} | {trace.ConnectionsOpened,18} | {html / 1024.0,9:0.0} |");
        }
        if (app is not null)
        {
            output.WriteLine();
            output.WriteLine($"Data: {app.Seed}; app start and migrations {app.StartAndMigrate.TotalSeconds:0.0} s.");
        }

        var withinBudget = true;
        foreach (var page in pages)
        {
            var trace = Traces[page.Name].Trace;
            var over = trace.Commands.Count > MaxCommandsPerPage;
            withinBudget &= !over;
            output.WriteLine();
            output.WriteLine(over
                ? $"FAIL: {page.Name} ({page.Path}) issued {trace.Commands.Count} SQL commands, more than {MaxCommandsPerPage}:"
                : $"{page.Name} ({page.Path}):");
            // The same command over and over is the mark of an N+1: each distinct one once, with how often it ran.
            foreach (var same in trace.Commands.GroupBy(sql => sql))
            {
                var times = same.Count() == 1 ? "" : $"[{same.Count()}×] ";
                output.WriteLine("  " + times + (over ? same.Key.ReplaceLineEndings("\n    ") : OneLine(same.Key)));
            }
        }
        return withinBudget;
    }

    private static string OneLine(string sql)
    {
        var line = Whitespace().Replace(sql, " ").Trim();
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
