using System.Globalization;

namespace SaasStarter.Benchmarks.Jobs;

/// <summary>The jobs run's figures as one Markdown table, a column per database.</summary>
internal static class JobsReport
{
    public sealed record Throughput(int Jobs, TimeSpan Scheduling, TimeSpan Running)
    {
        public double PerSecond => Jobs / Running.TotalSeconds;
    }

    public sealed record FanOut(int Tenants, TimeSpan AllScheduled, TimeSpan AllRun);

    public sealed record Takeover(TimeSpan FirstFiringOnSurvivor, TimeSpan RecoverableJobAgain);

    public sealed record Database(string Name, Throughput Throughput, FanOut FanOut, Takeover? Takeover);

    public static void Print(TextWriter writer, IReadOnlyList<Database> databases, JobsOptions options, int checkinSeconds)
    {
        string Row(string label, Func<Database, string> cell) => $"| {label} | {string.Join(" | ", databases.Select(cell))} |";
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00 's'", CultureInfo.InvariantCulture);
        writer.WriteLine();
        writer.WriteLine($"| measure | {string.Join(" | ", databases.Select(d => d.Name))} |");
        writer.WriteLine($"| --- |{string.Concat(databases.Select(_ => " ---: |"))}");
        writer.WriteLine(Row($"{options.Jobs:N0} one-off jobs: stored (one call)", d => Seconds(d.Throughput.Scheduling)));
        writer.WriteLine(Row($"{options.Jobs:N0} one-off jobs: all run and recorded", d => Seconds(d.Throughput.Running)));
        writer.WriteLine(Row("jobs per second", d => d.Throughput.PerSecond.ToString("0", CultureInfo.InvariantCulture)));
        writer.WriteLine(Row($"fan-out to {options.Tenants:N0} workspaces: all runs stored", d => Seconds(d.FanOut.AllScheduled)));
        writer.WriteLine(Row($"fan-out to {options.Tenants:N0} workspaces: all run", d => Seconds(d.FanOut.AllRun)));
        writer.WriteLine(Row($"node killed → first firing on the survivor (check-in {checkinSeconds} s)",
            d => d.Takeover is { } t ? Seconds(t.FirstFiringOnSurvivor) : "n/a (one node)"));
        writer.WriteLine(Row($"node killed → its recoverable job running on the survivor",
            d => d.Takeover is { } t ? Seconds(t.RecoverableJobAgain) : "n/a (one node)"));
        writer.WriteLine();
        writer.WriteLine("One run each, with the run history on, Quartz's default 10 worker threads, on whatever else the machine was doing.");
    }
}
