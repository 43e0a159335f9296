using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>One run of wrk (Debian's <c>wrk</c> package) against one URL, and what it printed.</summary>
internal static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, TimeSpan P50, TimeSpan P99, long Requests, long Failed);

    public sealed record Options(int Threads, int Connections, TimeSpan Duration);

    public static async Task<Result> RunAsync(Uri url, string? apiKey, Options options)
    {
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-t", options.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)options.Duration.TotalSeconds}s",
            "--latency",
        })
        {
            info.ArgumentList.Add(argument);
        }
        if (apiKey is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add($"Authorization: Bearer {apiKey}");
        }
        info.ArgumentList.Add(url.ToString());

        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await errors}");
        return Parse(await output);
    }

    /// <summary>Reads wrk 4's report: "Requests/sec:", the 50% and 99% lines of --latency, the totals and errors.</summary>
    public static Result Parse(string report)
    {
        var failed = NonSuccess().Match(report) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        foreach (Match error in SocketErrors().Matches(report))
        {
            failed += error.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }
        return new Result(
            double.Parse(Required(RequestsPerSecond(), report).Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(report, "50%"),
            Latency(report, "99%"),
            long.Parse(Required(Totals(), report).Groups[1].Value, CultureInfo.InvariantCulture),
            failed);
    }

    private static TimeSpan Latency(string report, string percentile)
    {
        var match = Regex.Match(report, $@"^\s+{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!match.Success) throw new FormatException($"wrk printed no {percentile} latency:\n{report}");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            _ => TimeSpan.FromMinutes(value),
        };
    }

    private static Match Required(Regex pattern, string report) =>
        pattern.Match(report) is { Success: true } match ? match : throw new FormatException($"wrk printed no '{pattern}':\n{report}");

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex Totals();

    [GeneratedRegex(@"^\s+Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
