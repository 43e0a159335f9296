using System.Diagnostics;
using System.Text;

namespace SaasStarter.Template.Tests;

[CollectionDefinition(Name)]
public sealed class TemplateCollection : ICollectionFixture<TemplateFixture>
{
    public const string Name = "template";
}

/// <summary>A generated variant on disk.</summary>
public sealed record GeneratedVariant(Variant Variant, string Directory, TimeSpan GenerateDuration)
{
    /// <summary>Every generated file, relative, with forward slashes, sorted ordinally (stable across machines).</summary>
    public IReadOnlyList<string> Files { get; } = System.IO.Directory
        .EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Directory, f).Replace('\\', '/'))
        .OrderBy(f => f, StringComparer.Ordinal)
        .ToList();

    public string FullPath(string relative) => Path.Combine(Directory, relative);
}

/// <summary>
/// Once per run: packs the repo, installs the package into a throwaway hive (never the user's templates),
/// and generates every variant. Generation is fast and the snapshots need all variants side by side;
/// the slow build/test/publish steps stay in the individual tests.
/// </summary>
public sealed class TemplateFixture : IAsyncLifetime
{
    public const string ShortName = "saas-starter";

    private readonly StringBuilder _setupLog = new();
    private readonly Dictionary<string, GeneratedVariant> _generated = new();
    private Exception? _setupError;
    private string? _packagePath;

    public TemplateFixture()
    {
        RepoRoot = FindRepoRoot();
        WorkRoot = Path.Combine(Path.GetTempPath(), "saasstarter-template-tests", Guid.NewGuid().ToString("N")[..12]);
        Hive = Path.Combine(WorkRoot, "hive");
        ResultsDirectory = Environment.GetEnvironmentVariable("SAASSTARTER_TEST_RESULTS") is { Length: > 0 } results
            ? Path.GetFullPath(results)
            // Not under WorkRoot: a developer can still read the metrics and logs after the run.
            : Path.Combine(Path.GetTempPath(), "saasstarter-template-results");
        Directory.CreateDirectory(WorkRoot);
        Directory.CreateDirectory(ResultsDirectory);
    }

    public string RepoRoot { get; }
    public string WorkRoot { get; }
    public string Hive { get; }
    public string ResultsDirectory { get; }
    public string SnapshotDirectory => Path.Combine(RepoRoot, "tests", "SaasStarter.Template.Tests", "Snapshots");

    /// <summary>What packing, installing and generating printed: every test shows it when it needs the package.</summary>
    public string SetupLog => _setupLog.ToString();

    public string PackagePath
    {
        get
        {
            ThrowIfSetupFailed();
            return _packagePath!;
        }
    }

    public GeneratedVariant Generated(Variant variant)
    {
        ThrowIfSetupFailed();
        return _generated[variant.Id];
    }

    public IReadOnlyDictionary<Variant, GeneratedVariant> AllGenerated
    {
        get
        {
            ThrowIfSetupFailed();
            return Variant.All.ToDictionary(v => v, v => _generated[v.Id]);
        }
    }

    /// <summary>A fresh folder under this run's temp root.</summary>
    public string NewTempDirectory(string name)
    {
        var path = Path.Combine(WorkRoot, $"{name}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task InitializeAsync()
    {
        try
        {
            var packageDirectory = Path.Combine(WorkRoot, "package");
            await Step(RepoRoot, Dotnet.ShortTimeout, "pack", Path.Combine(RepoRoot, "SaasStarter.nuspec"), "-o", packageDirectory);
            _packagePath = Directory.GetFiles(packageDirectory, "*.nupkg").Single();

            await Step(WorkRoot, Dotnet.ShortTimeout, "new", "install", _packagePath, "--debug:custom-hive", Hive);

            foreach (var variant in Variant.All)
            {
                var output = Path.Combine(WorkRoot, "generated", variant.Id);
                var stopwatch = Stopwatch.StartNew();
                await Step(WorkRoot, Dotnet.ShortTimeout,
                    ["new", ShortName, .. variant.NewArguments, "-o", output, "--debug:custom-hive", Hive]);
                _generated[variant.Id] = new GeneratedVariant(variant, output, stopwatch.Elapsed);
            }
        }
        catch (Exception e)
        {
            // Recorded, not thrown: tests that do not need the package (folder install, CLI errors) still run.
            _setupError = e;
        }
    }

    public Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("SAASSTARTER_KEEP_TEMP") != "1")
        {
            try
            {
                Directory.Delete(WorkRoot, recursive: true);
            }
            catch (IOException)
            {
                // A process we killed may still be releasing a file: leaving temp files is harmless.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Runs <c>dotnet new ...</c> against this run's hive only.</summary>
    public Task<ProcessResult> DotnetNewAsync(ITestOutputHelper? log, params string[] args) =>
        Dotnet.RunAsync(WorkRoot, Dotnet.ShortTimeout, log, environment: null, ["new", .. args, "--debug:custom-hive", Hive]);

    private async Task Step(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var result = await Dotnet.RunAsync(workingDirectory, timeout, log: null, environment: null, args);
        _setupLog.AppendLine(result.Describe());
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Template setup failed: {result.Describe()}\n{result.Tail()}");
        }
    }

    private void ThrowIfSetupFailed()
    {
        if (_setupError is not null)
        {
            throw new Xunit.Sdk.XunitException(_setupError.Message);
        }
    }

    /// <summary>The folder holding SaasStarter.nuspec, above the test binaries.</summary>
    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SaasStarter.nuspec"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No SaasStarter.nuspec above {AppContext.BaseDirectory}");
    }
}
