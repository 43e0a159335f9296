using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SaasStarter.Template.Tests;

/// <summary>
/// A published app started the way the container starts it (<c>dotnet App.dll</c> in the publish folder,
/// Production, configuration from environment variables), killed with its whole process tree on dispose.
/// </summary>
public sealed class PublishedApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Stopwatch _sinceStart;

    private PublishedApp(Process process, Stopwatch sinceStart, Uri baseAddress)
    {
        _process = process;
        _sinceStart = sinceStart;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public string OutputTail(int lines = 100)
    {
        var all = Output.TrimEnd('\n').Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    /// <summary>
    /// The environment the Dockerfile sets (ASPNETCORE_HTTP_PORTS, Production, the data folder), with a free
    /// port instead of 8080, plus any provider settings.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ProductionEnvironment(
        int port, string dataDirectory, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = null,
            // The one setting an operator must add to the Dockerfile's: where users reach the app.
            ["App__PublicUrl"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = null,
            ["Database__DataDirectory"] = dataDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) environment[key] = value;
        return environment;
    }

    public static PublishedApp Start(string dll, IReadOnlyDictionary<string, string?> environment, int port)
    {
        var (fileName, args) = ContainerUser.Command("dotnet", dll);
        var info = Dotnet.CreateStartInfo(fileName, args, Path.GetDirectoryName(dll)!, environment);
        var process = new Process { StartInfo = info };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        var app = new PublishedApp(process, stopwatch, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>A port nobody listens on right now (the tiny race with other processes is acceptable here).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls until <paramref name="path"/> answers 200; returns the time from process start to that answer.</summary>
    public async Task<TimeSpan> WaitForOkAsync(string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The app exited with code {_process.ExitCode} before {path} answered 200.\n{OutputTail()}");
            }
            try
            {
                using var response = await Client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK) return _sinceStart.Elapsed;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException(
            $"{path} did not answer 200 within {timeout.TotalSeconds:0}s (last: {last}).\n{OutputTail()}");
    }

    /// <summary>VmRSS of the process and its children (runuser forks the app rather than becoming it).</summary>
    public long? ResidentKilobytes() => TreeRss(_process.Id);

    private static long? TreeRss(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var own = line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        var childrenFile = $"/proc/{pid}/task/{pid}/children";
        var children = File.Exists(childrenFile)
            ? File.ReadAllText(childrenFile).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
            : [];
        return own + children.Sum(child => TreeRss(child) ?? 0);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or stuck in the kernel: nothing more a test can do.
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Append(line).Append('\n');
    }
}
