using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>
/// The published app started as the container starts it (<c>dotnet App.dll</c> in its folder, Production, settings from
/// environment variables, plain HTTP on one port), plus a startup hook: by default the one that adds <see cref="BareEndpoint"/>.
/// Killed on dispose; its output is kept to explain a failure.
/// </summary>
internal sealed class LoadedApp : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private LoadedApp(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <param name="hook">The assembly loaded into the app as startup hook and hosting startup; null: this one (the bare endpoint).</param>
    public static async Task<LoadedApp> StartAsync(string appDll, IReadOnlyDictionary<string, string?> settings, System.Reflection.Assembly? hook = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(appDll);
        hook ??= typeof(BareEndpoint).Assembly;
        var environment = new Dictionary<string, string?>
        {
            // The Dockerfile's environment, on a free port.
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = null,
            ["App__PublicUrl"] = $"http://127.0.0.1:{port}",
            // The bare endpoint (or the hook given): an assembly loaded by path and then found by name as a hosting startup.
            ["DOTNET_STARTUP_HOOKS"] = hook.Location,
            ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = hook.GetName().Name,
            // The limiter runs on every request, as in production, but never refuses one: a refusal is not the cost measured.
            ["Api__RateLimits__PerKey__PermitsPerMinute"] = "1000000",
            ["Api__RateLimits__PerKey__Burst"] = "1000000",
            ["Api__RateLimits__PerTenant__PermitsPerMinute"] = "1000000",
            ["Api__RateLimits__PerTenant__Burst"] = "1000000",
            // The measured workspace is on the default plan (Free), whose own rate would cap the buckets.
            ["Plans__Catalog__0__Limits__ApiRequestsPerMinute"] = "1000000",
            // No mail server to deliver to.
            ["Email__Smtp__Host"] = "",
        };
        foreach (var (key, value) in settings) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }

        var app = new LoadedApp(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."),
            new Uri($"http://127.0.0.1:{port}/"));
        app.process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        app.process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (what Process.Kill sends on Linux): the app gets no chance to stop its scheduler.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public string OutputTail()
    {
        lock (output) return output.ToString()[Math.Max(0, output.Length - 4000)..];
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.AppendLine(line);
            // Only the end explains a failure; the app logs for as long as it runs.
            if (output.Length > 64_000) output.Remove(0, output.Length - 32_000);
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{OutputTail()}");
            try
            {
                using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"/health/ready did not answer 200 within {timeout.TotalSeconds:0} s:\n{OutputTail()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
