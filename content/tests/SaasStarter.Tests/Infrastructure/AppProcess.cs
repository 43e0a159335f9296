using System.Diagnostics;

namespace SaasStarter.Tests.Infrastructure;

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public IReadOnlyList<string> ErrorLines =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (killed: timed out)" : "")}\n--- stderr ---\n{StandardError}\n--- stdout (end) ---\n"
        + (StandardOutput.Length > 3000 ? "…" + StandardOutput[^3000..] : StandardOutput);
}

/// <summary>The built app as its own process, started the way a container starts it: <c>dotnet SaasStarter.dll [verb]</c>.</summary>
public static class AppProcess
{
    /// <summary>
    /// The app's dll: the project reference copies it (with its runtimeconfig and deps files) next to the
    /// tests; failing that, the app project's own build output.
    /// </summary>
    public static string DllPath { get; } = FindDll();

    private static string FindDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "SaasStarter.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json"))) return beside;

        // tests/SaasStarter.Tests/bin/<Configuration>/<tfm>/ -> src/SaasStarter/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var content = configuration.Parent!.Parent!.Parent!.Parent!;
        var built = Path.Combine(content.FullName, "src", "SaasStarter", "bin", configuration.Name, tfm.Name, "SaasStarter.dll");
        return File.Exists(built)
            ? built
            : throw new FileNotFoundException($"SaasStarter.dll is neither in {AppContext.BaseDirectory} nor at {built}: build the solution first.");
    }

    public static async Task<ProcessResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(DllPath)!, // the content root, where appsettings.json is
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);

        // Nothing of the caller's app settings leaks in; Production, as in a container, on a port nobody else needs.
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
        start.Environment["App__PublicUrl"] = "http://127.0.0.1"; // required outside Development
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return new(process.ExitCode, await stdout, await stderr, timedOut);
    }
}
