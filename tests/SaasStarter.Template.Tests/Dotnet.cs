using System.Diagnostics;
using System.Text;

namespace SaasStarter.Template.Tests;

/// <summary>What a finished (or killed) process left behind.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Duration, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last lines of the interleaved stdout/stderr: where build and test errors end up.</summary>
    public string Tail(int lines = 100)
    {
        var all = Output.Split('\n');
        var start = Math.Max(0, all.Length - lines);
        var prefix = start > 0 ? $"... ({start} earlier lines cut)\n" : "";
        return prefix + string.Join('\n', all[start..]);
    }

    /// <summary>The command (cut if it lists many paths) and how it ended.</summary>
    public string Describe() =>
        $"`{(CommandLine.Length > 300 ? CommandLine[..300] + " ..." : CommandLine)}` {(TimedOut ? $"timed out after {Duration.TotalSeconds:0}s" : $"exited {ExitCode} after {Duration.TotalSeconds:0.0}s")}";
}

/// <summary>Runs the dotnet CLI (or any program) with a timeout, capturing everything it prints.</summary>
public static class Dotnet
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <c>dotnet args</c> and fails the test with the output's tail unless it exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(
        string workingDirectory, TimeSpan timeout, ITestOutputHelper? log, params string[] args)
    {
        var result = await RunAsync(workingDirectory, timeout, log, environment: null, args);
        if (!result.Succeeded)
        {
            throw new Xunit.Sdk.XunitException($"{result.Describe()}\n{result.Tail()}");
        }
        return result;
    }

    public static Task<ProcessResult> RunAsync(
        string workingDirectory, TimeSpan timeout, ITestOutputHelper? log,
        IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        RunProgramAsync("dotnet", args, workingDirectory, timeout, log, environment);

    public static async Task<ProcessResult> RunProgramAsync(
        string fileName, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout,
        ITestOutputHelper? log, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = CreateStartInfo(fileName, args, workingDirectory, environment);
        var commandLine = fileName + " " + string.Join(' ', args.Select(Quote));
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();

        using var process = new Process { StartInfo = info };
        process.Start();
        var readers = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));

        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        // A grandchild that outlives its parent (a build node, a compiler server) can hold the pipes open;
        // once the process itself is gone, wait only briefly for the last lines.
        await Task.WhenAny(readers, Task.Delay(TimeSpan.FromSeconds(5)));
        stopwatch.Stop();

        string text;
        lock (output) text = output.ToString();
        var result = new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, text, stopwatch.Elapsed, timedOut);
        log?.WriteLine(result.Describe());
        return result;
    }

    /// <summary>
    /// Every child gets a quiet, reproducible CLI: no telemetry or banners, no MSBuild nodes or build server
    /// left behind holding our pipes, and none of the MSBuild/VSTest variables of the `dotnet test` running us.
    /// </summary>
    public static ProcessStartInfo CreateStartInfo(
        string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);

        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["MSBUILDTERMINALLOGGER"] = "off";

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }
        }
        return info;
    }

    private static async Task Pump(StreamReader reader, StringBuilder sink)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (sink) sink.Append(line).Append('\n');
        }
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or ';' or '|' or '&')
            ? arg
            : "'" + arg.Replace("'", "'\\''") + "'";
}
