// Tasks for the template package. Run with `dotnet tool restore && dotnet cake [--target=Name]`.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var results = artifacts.Combine("test-results");
var packages = artifacts.Combine("packages");
var appSolution = root.CombineWithFilePath("content/SaasStarter.slnx");
var templateTests = root.CombineWithFilePath("tests/SaasStarter.Template.Tests/SaasStarter.Template.Tests.csproj");
var snapshots = root.Combine("tests/SaasStarter.Template.Tests/Snapshots");

Task("Build")
    .Description("Builds the app in content/ and the template tests, warnings as errors.")
    .Does(() =>
{
    var settings = new DotNetBuildSettings { Configuration = configuration, MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error) };
    DotNetBuild(appSolution.FullPath, settings);
    DotNetBuild(templateTests.FullPath, settings);
});

Task("Test")
    .Description("Runs the app's own tests, then the template's variant tests; TRX files go to artifacts/test-results.")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(results);
    var failures = new List<string>();
    foreach (var project in new[] { appSolution, templateTests })
    {
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                Loggers = new[] { $"trx;LogFilePrefix={project.GetFilenameWithoutExtension()}", "console;verbosity=normal" },
                ResultsDirectory = results,
                EnvironmentVariables = new Dictionary<string, string> { ["SAASSTARTER_TEST_RESULTS"] = results.FullPath },
            });
        }
        catch (Exception e)
        {
            failures.Add($"{project.GetFilename()}: {e.Message}");
        }
    }
    if (failures.Count > 0) throw new Exception("Tests failed:\n" + string.Join("\n", failures));
});

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
    .Description("Accepts the snapshots the last template test run received (*.received.txt → *.snap.txt).")
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

RunTarget(target);
