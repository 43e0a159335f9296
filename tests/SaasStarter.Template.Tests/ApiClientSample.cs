namespace SaasStarter.Template.Tests;

/// <summary>
/// <c>samples/ApiClient</c> as an integrator uses it: copied out of the repo (so it builds on its own settings alone),
/// built with warnings as errors, and run against a live app with the URL and key in its environment variables.
/// </summary>
public sealed class ApiClientSample
{
    private readonly string _dll;

    private ApiClientSample(string dll) => _dll = dll;

    public static async Task<ApiClientSample> BuildAsync(TemplateFixture fixture, ITestOutputHelper output)
    {
        var source = Path.Combine(fixture.RepoRoot, "samples", "ApiClient");
        var copy = fixture.NewTempDirectory("api-client");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar) is var parts && parts.Any(p => p is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
            File.Copy(file, Path.Combine(copy, relative));
        }

        var outputDirectory = Path.Combine(copy, "out");
        var build = await Dotnet.RunAsync(copy, Dotnet.BuildTimeout, output, environment: null,
            "build", "ApiClient.csproj", "-c", "Release", "-warnaserror", "-o", outputDirectory);
        Assert.True(build.Succeeded, $"samples/ApiClient does not build on its own: {build.Describe()}\n{build.Tail()}");
        return new ApiClientSample(Path.Combine(outputDirectory, "ApiClient.dll"));
    }

    public Task<ProcessResult> RunAsync(Uri app, string apiKey, ITestOutputHelper output, params string[] args) =>
        Dotnet.RunProgramAsync("dotnet", [_dll, .. args], Path.GetDirectoryName(_dll)!, Dotnet.ShortTimeout, output,
            new Dictionary<string, string?> { ["SAASSTARTER_URL"] = app.ToString(), ["SAASSTARTER_API_KEY"] = apiKey });
}
