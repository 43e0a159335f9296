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
    public IReadOnlyList<string> Files { get; } = GeneratedFile.List(Directory);

    public string FullPath(string relative) => Path.Combine(Directory, relative);

    /// <summary>The generated files as snapshots compare them: the name forms mapped onto the reference name.</summary>
    public SnapshotTree SnapshotTree => new(Variant.Id, Directory, Files, text => GeneratedFile.NormalizeName(Variant, text));
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
    private readonly Dictionary<string, Task<Dictionary<string, GeneratedVariant>>> _generatedAtCommit = new();
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
            foreach (var (id, generated) in await PackInstallAndGenerate(RepoRoot, WorkRoot)) _generated[id] = generated;
            _packagePath = Directory.GetFiles(Path.Combine(WorkRoot, "package"), "*.nupkg").Single();
        }
        catch (Exception e)
        {
            // Recorded, not thrown: tests that do not need the package (folder install, CLI errors) still run.
            _setupError = e;
        }
    }

    /// <summary>
    /// The variant as the template generated it at the commit that last changed <paramref name="snapshotName"/>'s
    /// snapshot: there a changed file's accepted text can be found, so a mismatch shows a diff instead of the whole file.
    /// Every variant of a commit is generated once per run.
    /// </summary>
    public async Task<GeneratedVariant> GeneratedWhenAcceptedAsync(Variant variant, string snapshotName, ITestOutputHelper? log)
    {
        var snapshot = Path.Combine(SnapshotDirectory, $"{snapshotName}.snap.txt");
        var commit = (await Git.RunCheckedAsync(RepoRoot, ["log", "-1", "--format=%H", "--", snapshot], log)).Trim();
        if (commit.Length == 0) throw new InvalidOperationException($"git has no commit of {snapshot}");

        Task<Dictionary<string, GeneratedVariant>> generation;
        lock (_generatedAtCommit)
        {
            if (!_generatedAtCommit.TryGetValue(commit, out generation!))
            {
                _generatedAtCommit[commit] = generation = GenerateAtCommit(commit, log);
            }
        }
        return (await generation)[variant.Id];
    }

    private async Task<Dictionary<string, GeneratedVariant>> GenerateAtCommit(string commit, ITestOutputHelper? log)
    {
        var work = NewTempDirectory($"at-{commit[..10]}");
        var archive = Path.Combine(work, "repo.tar");
        await Git.RunCheckedAsync(RepoRoot, ["archive", "--format=tar", "-o", archive, commit], log);
        var repo = Path.Combine(work, "repo");
        Directory.CreateDirectory(repo);
        await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(archive, repo, overwriteFiles: false);
        return await PackInstallAndGenerate(repo, work);
    }

    /// <summary>Packs <paramref name="repoRoot"/>, installs the package into a hive under <paramref name="workRoot"/> and generates every variant there.</summary>
    private async Task<Dictionary<string, GeneratedVariant>> PackInstallAndGenerate(string repoRoot, string workRoot)
    {
        var packageDirectory = Path.Combine(workRoot, "package");
        await Step(repoRoot, Dotnet.ShortTimeout, "pack", Path.Combine(repoRoot, "SaasStarter.nuspec"), "-o", packageDirectory);
        var package = Directory.GetFiles(packageDirectory, "*.nupkg").Single();

        var hive = Path.Combine(workRoot, "hive");
        await Step(workRoot, Dotnet.ShortTimeout, "new", "install", package, "--debug:custom-hive", hive);

        var generated = new Dictionary<string, GeneratedVariant>();
        foreach (var variant in Variant.All)
        {
            var output = Path.Combine(workRoot, "generated", variant.Id);
            var stopwatch = Stopwatch.StartNew();
            await Step(workRoot, Dotnet.ShortTimeout,
                ["new", ShortName, .. variant.NewArguments, "-o", output, "--debug:custom-hive", hive]);
            generated[variant.Id] = new GeneratedVariant(variant, output, stopwatch.Elapsed);
        }
        return generated;
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
            throw new InvalidOperationException($"{result.Describe()}\n{result.Tail()}");
        }
    }

    private void ThrowIfSetupFailed()
    {
        if (_setupError is not null)
        {
            throw new Xunit.Sdk.XunitException("Template setup failed: " + _setupError.Message);
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
