using System.Data.Common;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SaasStarter.Template.Tests;

/// <summary>
/// The variant matrix end to end: each generated solution builds without warnings, passes its own tests,
/// publishes, and the published app starts like the container starts it and serves health, OpenAPI and Scalar.
/// One test per variant, so CI (or a developer) can run any of them alone with --filter.
/// </summary>
[Collection(TemplateCollection.Name)]
public sealed partial class VariantTests(TemplateFixture fixture, ITestOutputHelper output)
{
    private const string PostgresVariable = "SAASSTARTER_TEST_POSTGRES";
    private const string RequirePostgresVariable = "SAASSTARTER_REQUIRE_POSTGRES";
    private const string RequireWrkVariable = "SAASSTARTER_REQUIRE_WRK";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Sqlite_variant_builds_passes_its_tests_and_serves_health() => BuildTestPublishAndRun(Variant.Sqlite);

    [Fact]
    public Task Postgres_variant_builds_passes_its_tests_migrates_and_serves_health() => BuildTestPublishAndRun(Variant.Postgres);

    [Fact]
    public Task Name_with_dots_dashes_and_digits_builds_passes_its_tests_and_serves_health() => BuildTestPublishAndRun(Variant.DottedName);

    private async Task BuildTestPublishAndRun(Variant variant)
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var hasPostgres = !string.IsNullOrWhiteSpace(postgres);
        if (variant.UsesPostgres && !hasPostgres && Environment.GetEnvironmentVariable(RequirePostgresVariable) == "1")
        {
            throw new Xunit.Sdk.XunitException(
                $"{RequirePostgresVariable}=1 but {PostgresVariable} is not set: the postgres variant needs a real server " +
                "(e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres).");
        }

        var generated = fixture.Generated(variant);
        var directory = generated.Directory;
        var solution = Path.GetFileName(Directory.GetFiles(directory, "*.slnx").Concat(Directory.GetFiles(directory, "*.sln")).Single());
        output.WriteLine($"Generated {variant.Id} in {generated.GenerateDuration.TotalSeconds:0.0}s: {directory}");

        var build = await Step(variant, "build", directory, Dotnet.BuildTimeout, "build", solution, "-warnaserror");

        // The generated tests read SAASSTARTER_TEST_POSTGRES and SAASSTARTER_REQUIRE_BROWSER from the environment they
        // inherit (in CI nothing may skip: .ci/run sums these TRX files too). Tests must run and pass; a failure still
        // lets publish and start run, so one run reports everything (and the timings).
        string? testFailure = null;
        var testResults = Path.Combine(fixture.ResultsDirectory, $"{variant.Id}-tests");
        if (Directory.Exists(testResults)) Directory.Delete(testResults, recursive: true);
        var test = await Step(variant, "test", directory, Dotnet.TestTimeout, failure => testFailure = failure,
            "test", solution, "--logger", $"trx;LogFilePrefix={variant.Id}", "--results-directory", testResults);
        var run = GeneratedTestRun.Read(testResults);
        foreach (var project in run.Projects) output.WriteLine($"  {project}");
        if (run.Problem() is { } problem)
        {
            testFailure = $"{variant.Id}: the generated app's tests failed or did not run: {problem}.\n" +
                          string.Join('\n', run.Projects) + (testFailure is null ? "" : $"\n\n{testFailure}");
        }

        try
        {
            var (publish, ready, rss, provider) = await PublishAndStart(variant, directory, postgres);
            var metrics = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} variant={variant.Id} provider={provider} " +
                          $"generate+build={(generated.GenerateDuration + build.Duration).TotalSeconds:0.0}s " +
                          $"test={test.Duration.TotalSeconds:0.0}s publish={publish.TotalSeconds:0.0}s " +
                          $"start-to-ready={ready.TotalMilliseconds:0}ms rss={(rss is null ? "n/a" : $"{rss}kB")}";
            output.WriteLine(metrics);
            await File.AppendAllTextAsync(Path.Combine(fixture.ResultsDirectory, "template-metrics.txt"), metrics + "\n");
        }
        catch (Exception e) when (testFailure is not null)
        {
            throw new Xunit.Sdk.XunitException($"{testFailure}\n\nAfter that, publishing or starting failed too: {e.Message}");
        }

        if (testFailure is not null) throw new Xunit.Sdk.XunitException(testFailure);
        if (variant == Variant.Sqlite) await RunApiLoadBenchmark(variant, directory, postgres);
    }

    /// <summary>
    /// The generated benchmarks' api-load run, as short as it goes: it must keep working (publish, the startup hook, both
    /// endpoints agreeing, wrk's report read), though one-second figures mean nothing. On PostgreSQL too when there is a
    /// server. Needs Debian's wrk: skipped without it, unless <see cref="RequireWrkVariable"/> is 1 (CI).
    /// </summary>
    private async Task RunApiLoadBenchmark(Variant variant, string directory, string? postgres)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            if (Environment.GetEnvironmentVariable(RequireWrkVariable) == "1") throw new Xunit.Sdk.XunitException($"{RequireWrkVariable}=1 but /usr/bin/wrk is missing (apt-get install wrk).");
            output.WriteLine("wrk is not installed: the api-load benchmark is not run.");
            return;
        }
        var project = Directory.GetFiles(Path.Combine(directory, "benchmarks"), "*.csproj", SearchOption.AllDirectories).Single();
        var environment = new Dictionary<string, string?> { ["SAASSTARTER_BENCH_POSTGRES"] = postgres };
        var result = await Dotnet.RunAsync(directory, Dotnet.PublishTimeout, output, environment,
            "run", "-c", "Release", "--project", project, "--", "api-load", "--rounds", "1", "--duration", "1", "--warmup", "1");
        SaveLog(variant, "api-load", result);
        Assert.True(result.Succeeded, $"api-load: {result.Describe()}\n{result.Tail()}");
        output.WriteLine(result.Tail());
        Assert.Matches(@"\| SQLite \| /api/v1/projects \| [\d,]+ ", result.Output);
        if (!string.IsNullOrWhiteSpace(postgres)) Assert.Matches(@"\| PostgreSQL [\d.]+ \| /api/v1/projects \| [\d,]+ ", result.Output);
    }

    /// <summary>Publishes like the Dockerfile, starts the output like the container, and checks what a user reaches first.</summary>
    private async Task<(TimeSpan Publish, TimeSpan Ready, long? Rss, string Provider)> PublishAndStart(
        Variant variant, string directory, string? postgres)
    {
        var project = Directory.GetFiles(Path.Combine(directory, "src"), "*.csproj", SearchOption.AllDirectories).Single();
        var publishDirectory = fixture.NewTempDirectory($"publish-{variant.Id}");
        var publish = await Step(variant, "publish", directory, Dotnet.PublishTimeout,
            "publish", project, "-c", "Release", "-o", publishDirectory);
        var dll = Path.Combine(publishDirectory, Path.GetFileNameWithoutExtension(project) + ".dll");
        Assert.True(File.Exists(dll), $"publish did not produce {dll}");

        var port = PublishedApp.FreePort();
        var dataDirectory = fixture.NewTempDirectory($"data-{variant.Id}");
        var (settings, provider) = ProviderSettings(variant, postgres);
        // The sqlite variant also serves samples/ApiClient: its operator is created from the environment at start-up.
        var account = variant == Variant.Sqlite ? ("operator@example.com", $"tpl-{Guid.NewGuid():N}") : default((string Email, string Password)?);
        if (account is var (email, password))
        {
            settings["Setup__AdminEmail"] = email;
            settings["Setup__AdminPassword"] = password;
        }
        var environment = PublishedApp.ProductionEnvironment(port, dataDirectory, settings);
        ContainerUser.Prepare(publishDirectory, dataDirectory);
        output.WriteLine($"Starting the published app as {ContainerUser.Name ?? Environment.UserName}.");

        if (provider == "Postgres")
        {
            // What an operator does before starting a PostgreSQL deployment; EF creates the fresh database.
            var migrate = await Dotnet.RunProgramAsync("dotnet", [dll, "migrate"], publishDirectory, Dotnet.ShortTimeout, output, environment);
            SaveLog(variant, "migrate", migrate);
            Assert.True(migrate.Succeeded, $"{migrate.Describe()}\n{migrate.Tail()}");
        }

        await using var app = PublishedApp.Start(dll, environment, port);
        var ready = await app.WaitForOkAsync("/health/ready", ReadyTimeout);
        var rss = app.ResidentKilobytes();
        try
        {
            await AssertOpenApiDocument(app);
            await AssertScalarLoadsOnlyLocalScripts(app);
            // The container's HEALTHCHECK command, run beside the server with the same environment.
            var (probeFile, probeArgs) = ContainerUser.Command("dotnet", dll, "healthcheck");
            var probe = await Dotnet.RunProgramAsync(probeFile, probeArgs, publishDirectory, Dotnet.ShortTimeout, output, environment);
            Assert.True(probe.Succeeded, $"healthcheck verb: {probe.Describe()}\n{probe.Tail()}");
            await VerifyOpenApiSnapshot(variant, app);
            if (account is var (operatorEmail, operatorPassword)) await RunApiClientSample(variant, app, operatorEmail, operatorPassword);
        }
        catch
        {
            output.WriteLine("App output:\n" + app.OutputTail());
            throw;
        }
        return (publish.Duration, ready, rss, provider);
    }

    /// <summary>
    /// The postgres variant runs against a fresh database on the test server. Without a server it still
    /// proves its published output starts, on SQLite (Database:Provider picks the provider at start-up).
    /// </summary>
    private (Dictionary<string, string?> Settings, string Provider) ProviderSettings(Variant variant, string? postgres)
    {
        if (!variant.UsesPostgres) return (new(), "Sqlite");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            output.WriteLine($"{PostgresVariable} is not set: starting the published postgres variant on SQLite instead.");
            return (new()
            {
                ["Database__Provider"] = "Sqlite",
                ["Database__MigrateOnStartup"] = "true",
                ["ConnectionStrings__Default"] = "",
            }, "Sqlite(no server)");
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = postgres };
        builder.Remove("DB");
        builder["Database"] = $"tpl_{variant.Id}_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..6]}";
        output.WriteLine($"PostgreSQL database for this run: {builder["Database"]}");
        return (new()
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = builder.ConnectionString,
        }, "Postgres");
    }

    private static async Task AssertOpenApiDocument(PublishedApp app)
    {
        using var response = await app.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(document.RootElement.TryGetProperty("openapi", out _), "the OpenAPI document has no \"openapi\" property");
    }

    /// <summary>The public contract, reviewed as a diff: every variant serves the same document (names mapped onto Acme).</summary>
    private async Task VerifyOpenApiSnapshot(Variant variant, PublishedApp app)
    {
        var json = await app.Client.GetStringAsync("/openapi/v1.json");
        await Snapshot.VerifyAsync(fixture.SnapshotDirectory, OpenApiSnapshot.Name, OpenApiSnapshot.Build(variant, json), output);
    }

    /// <summary>
    /// What an integrator does on day one: the operator signs in, creates a workspace and an API key in the UI, and
    /// samples/ApiClient runs its tour of the projects API with that key.
    /// </summary>
    private async Task RunApiClientSample(Variant variant, PublishedApp app, string email, string password)
    {
        var sample = await ApiClientSample.BuildAsync(fixture, output);
        using var person = await AppOperator.SignInAsync(app.BaseAddress, email, password);
        var slug = await person.CreateWorkspaceAsync("API sample", "api-sample");
        var key = await person.CreateApiKeyAsync(slug, "samples/ApiClient", "projects.read", "projects.write");

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenant"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var tenant = await app.Client.SendAsync(request);
            var body = await tenant.Content.ReadAsStringAsync();
            Assert.True(tenant.StatusCode == HttpStatusCode.OK, $"GET /api/v1/tenant with the new key answered {(int)tenant.StatusCode}: {body}");
            Assert.Equal(slug, JsonDocument.Parse(body).RootElement.GetProperty("slug").GetString());
        }

        var workspace = await sample.RunAsync(app.BaseAddress, key, output, "workspace");
        SaveLog(variant, "api-client-workspace", workspace);
        Assert.True(workspace.Succeeded, $"samples/ApiClient workspace: {workspace.Describe()}\n{workspace.Tail()}");
        Assert.Contains($"Workspace: API sample (/t/{slug}", workspace.Output);

        var tour = await sample.RunAsync(app.BaseAddress, key, output, "tour");
        SaveLog(variant, "api-client-tour", tour);
        output.WriteLine("samples/ApiClient tour:\n" + tour.Output);
        Assert.True(tour.Succeeded, $"samples/ApiClient tour: {tour.Describe()}\n{tour.Tail()}");
        foreach (var step in new[] { "Projects: ", "Created project ", "replayed the first answer", "Updated project ", "was refused",
                     "Archived projects: ", "Deleted project ", "Done: " })
        {
            Assert.Contains(step, tour.Output);
        }
    }

    /// <summary>Self-hosted means offline: every script Scalar's page loads comes from the app itself.</summary>
    private async Task AssertScalarLoadsOnlyLocalScripts(PublishedApp app)
    {
        using var response = await app.Client.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        var page = response.RequestMessage!.RequestUri!;

        var sources = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.True(sources.Count > 0, $"/scalar has no <script src>: {html}");
        foreach (var source in sources)
        {
            Assert.False(ExternalUrl().IsMatch(source), $"/scalar loads a script from outside the app: {source}");
            var url = new Uri(page, source);
            using var script = await app.Client.GetAsync(url);
            output.WriteLine($"script {source} -> {url.PathAndQuery}: {(int)script.StatusCode}");
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)script.StatusCode}");
        }
    }

    private Task<ProcessResult> Step(Variant variant, string name, string directory, TimeSpan timeout, params string[] args) =>
        Step(variant, name, directory, timeout, failure => throw new Xunit.Sdk.XunitException(failure), args);

    /// <summary>Runs one dotnet step, keeps its full log, and hands a failure (with the output's tail) to <paramref name="onFailure"/>.</summary>
    private async Task<ProcessResult> Step(
        Variant variant, string name, string directory, TimeSpan timeout, Action<string> onFailure, params string[] args)
    {
        var result = await Dotnet.RunAsync(directory, timeout, output, environment: null, args);
        var log = SaveLog(variant, name, result);
        if (!result.Succeeded)
        {
            output.WriteLine($"{name} failed; full log: {log}");
            onFailure($"{variant.Id}: {result.Describe()}\nFull log: {log}\n{result.Tail()}");
        }
        return result;
    }

    /// <summary>Every step's full output next to the TRX files, for CI artefacts and post-mortems.</summary>
    private string SaveLog(Variant variant, string step, ProcessResult result)
    {
        var directory = Path.Combine(fixture.ResultsDirectory, "logs");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{variant.Id}-{step}.log");
        File.WriteAllText(path, $"{result.Describe()}\n\n{result.Output}");
        return path;
    }

    [GeneratedRegex(@"<script\b[^>]*?\bsrc\s*=\s*[""'](?<src>[^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();

    [GeneratedRegex(@"^(?:[a-z][a-z0-9+.-]*:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
