using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>
/// <c>api-load</c>: publishes the app, starts it as the container would on SQLite (and on PostgreSQL when
/// <see cref="BenchDatabase.PostgresVariable"/> names a server), and loads <c>GET /api/v1/projects</c> (20 projects, a
/// valid key) and <see cref="BareEndpoint"/>'s same query with wrk, in alternating rounds of the same run. Exit code 1
/// when any request failed: a refused or broken request is not a measurement.
/// </summary>
internal static class ApiLoadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadOptions.Parse(args);
        var folder = Directory.CreateTempSubdirectory("saasstarter-api-load-");
        try
        {
            var appDll = await PublishAsync(folder.FullName);
            var measured = new List<LoadReport.Database>
            {
                await MeasureAsync(new SqliteBenchDatabase(), appDll, options),
            };
            if (Environment.GetEnvironmentVariable(BenchDatabase.PostgresVariable) is { Length: > 0 } server)
            {
                measured.Add(await MeasureAsync(await PostgresBenchDatabase.CreateAsync(server), appDll, options));
            }
            return LoadReport.Print(Console.Out, measured, options) ? 0 : 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A Release publish of the app's project, as the Dockerfile makes it; returns the app's dll.</summary>
    internal static async Task<string> PublishAsync(string folder)
    {
        var project = Directory.GetFiles(BenchApp.AppContentRoot(), "*.csproj").Single();
        var output = Path.Combine(folder, "app");
        Console.WriteLine($"// Publishing {Path.GetFileName(project)} (Release) to {output}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", output, "--nologo" }) info.ArgumentList.Add(argument);
        using var publish = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{await log}\n{await errors}");
        return Path.Combine(output, typeof(Program).Assembly.GetName().Name + ".dll");
    }

    private static async Task<LoadReport.Database> MeasureAsync(BenchDatabase database, string appDll, LoadOptions options)
    {
        await using (database)
        {
            await using var app = await LoadedApp.StartAsync(appDll, database.Settings);
            using var setup = await app.Client.PostAsync(new Uri(BareEndpoint.SetupPath, UriKind.Relative), content: null);
            if (!setup.IsSuccessStatusCode) throw new InvalidOperationException($"Seeding answered {(int)setup.StatusCode}:\n{app.OutputTail()}");
            var key = await setup.Content.ReadAsStringAsync();
            await database.SettleAsync();

            var api = new Uri(app.BaseAddress, "/api/v1/projects");
            var bare = new Uri(app.BaseAddress, BareEndpoint.BarePath);
            await CheckSameAnswerAsync(app.Client, api, bare, key);
            Console.WriteLine($"// {database.Description}: warming up both endpoints for {options.Warmup.Duration.TotalSeconds:0} s each");
            await Wrk.RunAsync(api, key, options.Warmup);
            await Wrk.RunAsync(bare, apiKey: null, options.Warmup);

            var apiRuns = new List<Wrk.Result>();
            var bareRuns = new List<Wrk.Result>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                // Alternating which goes first, so a drift of the machine during the run weighs on both alike.
                Console.WriteLine($"// {database.Description}: round {round} of {options.Rounds}");
                if (round % 2 == 1)
                {
                    apiRuns.Add(await Wrk.RunAsync(api, key, options.Measured));
                    bareRuns.Add(await Wrk.RunAsync(bare, apiKey: null, options.Measured));
                }
                else
                {
                    bareRuns.Add(await Wrk.RunAsync(bare, apiKey: null, options.Measured));
                    apiRuns.Add(await Wrk.RunAsync(api, key, options.Measured));
                }
            }
            return new LoadReport.Database(database.Description, apiRuns, bareRuns);
        }
    }

    /// <summary>Both answer 200 with the same <see cref="LoadSeed.Projects"/> projects: the two measure the same work.</summary>
    private static async Task CheckSameAnswerAsync(HttpClient client, Uri api, Uri bare, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var fromApi = await client.SendAsync(request);
        var apiItems = await ItemsAsync(fromApi);
        var bareItems = await ItemsAsync(await client.GetAsync(bare));
        if (apiItems.Count != LoadSeed.Projects || !JsonNode.DeepEquals(apiItems, bareItems))
        {
            throw new InvalidOperationException($"The API and the bare endpoint disagree:\n{apiItems.ToJsonString()}\n{bareItems.ToJsonString()}");
        }
    }

    private static async Task<JsonArray> ItemsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)?["items"]?.AsArray() ?? throw new InvalidOperationException($"No items in {body}");
    }
}
