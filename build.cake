// Tasks for the template package. Run with `dotnet tool restore && dotnet cake [--target=Name]`.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var results = artifacts.Combine("test-results");
var packages = artifacts.Combine("packages");
var appSolution = root.CombineWithFilePath("content/SaasStarter.slnx");
var templateTests = root.CombineWithFilePath("tests/SaasStarter.Template.Tests/SaasStarter.Template.Tests.csproj");
var apiClientSample = root.CombineWithFilePath("samples/ApiClient/ApiClient.csproj");
var snapshots = root.Combine("tests/SaasStarter.Template.Tests/Snapshots");

Task("Build")
    .Description("Builds the app in content/, the template tests and samples/ApiClient, warnings as errors.")
    .Does(() =>
{
    var settings = new DotNetBuildSettings { Configuration = configuration, MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error) };
    DotNetBuild(appSolution.FullPath, settings);
    DotNetBuild(templateTests.FullPath, settings);
    DotNetBuild(apiClientSample.FullPath, settings);
});

// The variant tests generate every variant and run the app's own tests inside each, so "Test" runs content/'s suite
// as the generated apps (three times over). Running it a fourth time straight from content/ added ten minutes to CI
// and caught nothing the sqlite variant did not: that quick loop is "TestApp", for working on content/.
Task("Test")
    .Description("Runs the template's tests: each variant is generated, built, and its own tests (the app's) run; TRX files go to artifacts/test-results.")
    .IsDependentOn("Build")
    .Does(() => RunTests(templateTests));

Task("TestApp")
    .Description("Runs only the app's tests, straight from content/ (the quick loop while changing the app).")
    .IsDependentOn("Build")
    .Does(() => RunTests(appSolution));

void RunTests(FilePath project)
{
    CleanDirectory(results);
    DotNetTest(project.FullPath, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Loggers = new[] { $"trx;LogFilePrefix={project.GetFilenameWithoutExtension()}", "console;verbosity=normal" },
        ResultsDirectory = results,
        EnvironmentVariables = new Dictionary<string, string> { ["SAASSTARTER_TEST_RESULTS"] = results.FullPath },
    });
}

Task("Pack")
    .Description("Packs the template package into artifacts/packages.")
    .Does(() =>
{
    CleanDirectory(packages);
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = $"pack SaasStarter.nuspec -o \"{packages}\"", WorkingDirectory = root });
    if (exit != 0) throw new Exception($"dotnet pack exited with {exit}");
});

Task("Install")
    .Description("Installs the packed template into your own `dotnet new` (user hive).")
    .IsDependentOn("Pack")
    .Does(() =>
{
    var package = GetFiles($"{packages}/*.nupkg").Single();
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = $"new install \"{package}\" --force", WorkingDirectory = root });
    if (exit != 0) throw new Exception($"dotnet new install exited with {exit}");
});

Task("Run")
    .Description("Generates Acme on SQLite under artifacts/ and runs it (Ctrl+C stops it).")
    .IsDependentOn("Install")
    .Does(() =>
{
    var app = artifacts.Combine("Acme");
    if (DirectoryExists(app)) DeleteDirectory(app, new DeleteDirectorySettings { Recursive = true, Force = true });
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = $"new saas-starter -n Acme --db sqlite -o \"{app}\"", WorkingDirectory = root });
    if (exit != 0) throw new Exception($"dotnet new saas-starter exited with {exit}");
    StartProcess("dotnet", new ProcessSettings { Arguments = "run --project src/Acme", WorkingDirectory = app });
});

Task("AcceptSnapshots")
    .Description("Accepts the snapshots the last template test run received (*.received.txt → *.snap.txt); review `git diff tests/` before committing. Never run in CI.")
    .Does(() =>
{
    var received = GetFiles($"{snapshots}/*.received.txt");
    foreach (var file in received)
    {
        var accepted = file.FullPath.Replace(".received.txt", ".snap.txt");
        CopyFile(file, accepted);
        DeleteFile(file);
        Information($"accepted {System.IO.Path.GetFileName(accepted)}");
    }
    if (received.Count == 0) Information("No received snapshots: nothing to accept.");
});

Task("Bench")
    .Description("Publishes the app, starts it like the container, and measures start-up, memory and throughput with wrk.")
    .Does(() =>
{
    var bench = artifacts.Combine("bench");
    CleanDirectory(bench);
    var publish = bench.Combine("app");
    DotNetPublish(root.CombineWithFilePath("content/src/SaasStarter/SaasStarter.csproj").FullPath,
        new DotNetPublishSettings { Configuration = "Release", OutputDirectory = publish });
    if (StartProcess("sh", new ProcessSettings { Arguments = "-c \"command -v wrk\"", Silent = true }) != 0)
        throw new Exception("wrk is not installed: apt-get install -y wrk");

    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    var data = bench.Combine("data");
    EnsureDirectoryExists(data);
    var start = new System.Diagnostics.ProcessStartInfo("dotnet", $"\"{publish}/SaasStarter.dll\"") { RedirectStandardOutput = true, RedirectStandardError = true };
    // The Dockerfile's environment, with a free port and a fresh data folder.
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
    start.Environment["Database__DataDirectory"] = data.FullPath;
    start.Environment["App__PublicUrl"] = $"http://127.0.0.1:{port}";
    start.Environment["Logging__LogLevel__Default"] = "Warning";

    var baseUrl = $"http://127.0.0.1:{port}";
    var clock = System.Diagnostics.Stopwatch.StartNew();
    using var app = System.Diagnostics.Process.Start(start);
    var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
    app.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
    app.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
    app.BeginOutputReadLine();
    app.BeginErrorReadLine();
    try
    {
        using var http = new System.Net.Http.HttpClient();
        while (true)
        {
            if (app.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new Exception("/health/ready did not answer 200:\n" + string.Join("\n", log.TakeLast(20)));
            try { if (http.GetAsync(baseUrl + "/health/ready").GetAwaiter().GetResult().IsSuccessStatusCode) break; } catch (System.Net.Http.HttpRequestException) { }
            System.Threading.Thread.Sleep(50);
        }
        var ready = clock.Elapsed;
        Func<long> rss = () => long.Parse(System.IO.File.ReadLines($"/proc/{app.Id}/status").First(l => l.StartsWith("VmRSS:"))["VmRSS:".Length..].Trim().Split(' ')[0]) / 1024;
        var rows = new List<string> { $"| start to first 200 from /health/ready (fresh SQLite, migrations included) | {ready.TotalMilliseconds:0} ms |", $"| resident memory after start | {rss()} MiB |" };
        foreach (var path in new[] { "/health/live", "/api/v1/", "/" })
        {
            IEnumerable<string> output;
            StartProcess("wrk", new ProcessSettings { Arguments = $"-t2 -c16 -d10s --latency {baseUrl}{path}", RedirectStandardOutput = true }, out output);
            var lines = output.ToList();
            var rps = lines.FirstOrDefault(l => l.StartsWith("Requests/sec:"))?.Split(':')[1].Trim() ?? "?";
            var p99 = lines.FirstOrDefault(l => l.TrimStart().StartsWith("99%"))?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "?";
            var errors = lines.FirstOrDefault(l => l.Contains("Non-2xx") || l.Contains("Socket errors"))?.Trim() ?? "no errors";
            rows.Add($"| GET {path}: wrk -t2 -c16 -d10s | {rps} req/s, p99 {p99}, {errors} |");
        }
        rows.Add($"| resident memory after load | {rss()} MiB |");
        var table = string.Join("\n", new[] { "| measure | result |", "|---|---|" }.Concat(rows));
        System.IO.File.WriteAllText(bench.CombineWithFilePath("results.md").FullPath, table + "\n");
        Information(table);
    }
    finally
    {
        app.Kill(entireProcessTree: true);
    }
});

RunTarget(target);
