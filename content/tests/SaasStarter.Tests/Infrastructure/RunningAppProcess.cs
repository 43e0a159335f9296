using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The built app as a server process that keeps running (where <see cref="AppProcess"/> runs to exit): started the
/// same way, its output collected line by line, and killed with its process tree when disposed.
/// </summary>
public sealed class RunningAppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> stdout = [];
    private readonly List<string> stderr = [];

    private RunningAppProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Production, on a free loopback port, with none of the caller's app settings; then <paramref name="environment"/>.</summary>
    public static RunningAppProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(AppProcess.DllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppProcess.DllPath);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || key.Contains("__", StringComparison.Ordinal))
            {
                start.Environment.Remove(key);
            }
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return new RunningAppProcess(Process.Start(start)!);
    }

    /// <summary>Standard output so far, one entry per line.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get { lock (stdout) return [.. stdout]; }
    }

    /// <summary>The first output line that matches; fails if the process exits or <paramref name="timeout"/> passes first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (OutputLines.FirstOrDefault(match) is { } line) return line;
            if (process.HasExited || clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException(
                    (process.HasExited ? $"The app exited ({process.ExitCode})" : $"Still waiting after {timeout.TotalSeconds} s")
                    + $" without the expected line.\n--- stderr ---\n{string.Join('\n', Lines(stderr))}\n--- stdout ---\n{string.Join('\n', OutputLines)}");
            }
            await Task.Delay(100);
        }
    }

    private static void Append(List<string> lines, string? line)
    {
        if (line is null) return;
        lock (lines) lines.Add(line);
    }

    private static List<string> Lines(List<string> lines)
    {
        lock (lines) return [.. lines];
    }

    /// <summary>
    /// SIGTERM, what <c>docker stop</c> sends: the app stops gracefully. Answers its exit code once it has exited; fails
    /// if it is still running after <paramref name="timeout"/>.
    /// </summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (Kill(process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill -TERM {process.Id} failed ({Marshal.GetLastPInvokeError()}).");
        using var limit = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(limit.Token);
        return process.ExitCode;
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
