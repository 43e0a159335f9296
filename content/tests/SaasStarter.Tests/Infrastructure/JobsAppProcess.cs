using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SaasStarter.TestJobs;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The built app as a server process (<see cref="RunningAppProcess"/>: Production, <c>dotnet SaasStarter.dll</c>) on a
/// <see cref="ProcessDatabase"/>, with the test jobs of SaasStarter.TestJobs loaded into it by a startup hook (the app
/// itself carries no test code), on a port of its own. <see cref="KillAsync"/> is a SIGKILL: no shutdown runs.
/// </summary>
public sealed class JobsAppProcess : IAsyncDisposable
{
    /// <summary>The tests that start these processes: one at a time, not side by side on a small machine.</summary>
    public const string Collection = "app processes";

    private readonly RunningAppProcess process;
    private bool disposed;

    private JobsAppProcess(RunningAppProcess process, Uri baseAddress)
    {
        this.process = process;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    /// <summary>This process's scheduler instance, as JobRuns.Node records it.</summary>
    public string Node { get; private set; } = "";

    public static async Task<JobsAppProcess> StartAsync(ProcessDatabase database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var hook = typeof(TestJobsStartup).Assembly;
        var environment = new Dictionary<string, string>(database.Environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["App__PublicUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["DOTNET_STARTUP_HOOKS"] = hook.Location,
            ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = hook.GetName().Name!,
            ["Email__Smtp__Host"] = "",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        var app = new JobsAppProcess(RunningAppProcess.Start(environment), new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            app.Node = await app.Client.GetStringAsync(new Uri($"{TestJobsStartup.Root}/node", UriKind.Relative));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async Task PostAsync(string pathAndQuery)
    {
        using var response = await Client.PostAsync(new Uri(TestJobsStartup.Root + pathAndQuery, UriKind.Relative), content: null);
        if (!response.IsSuccessStatusCode)
        {
            throw new Xunit.Sdk.XunitException($"POST {pathAndQuery} answered {(int)response.StatusCode}\n{OutputTail()}");
        }
    }

    public string OutputTail() => string.Join('\n', process.OutputLines.TakeLast(60));

    /// <summary>SIGTERM: the app stops as a container runtime stops it; answers the exit code.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout) => process.TerminateAsync(timeout);

    /// <summary>The first output line that matches; fails if the process exits or <paramref name="timeout"/> passes first.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout) => process.WaitForLineAsync(match, timeout);

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux): the scheduler gets no chance to stop.</summary>
    public async Task KillAsync() => await DisposeAsync();

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        // "Now listening" first: before it nothing answers, and the wait fails fast if the process exits.
        await process.WaitForLineAsync(line => line.Contains("Now listening on", StringComparison.Ordinal), timeout);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not answering yet
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"/health/ready did not answer 200 within {timeout}:\n{OutputTail()}");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        Client.Dispose();
        await process.DisposeAsync();
    }
}

[CollectionDefinition(JobsAppProcess.Collection)]
public sealed class AppProcessCollection;
