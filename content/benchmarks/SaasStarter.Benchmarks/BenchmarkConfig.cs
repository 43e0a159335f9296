using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SaasStarter.Benchmarks;

internal static class BenchmarkConfig
{
    /// <summary>
    /// Everything runs in this process: every benchmark case shares the one seeded app (<see cref="BenchApp"/>), and
    /// no project is generated and rebuilt per run. Without <c>--job</c>, a short job (3 warm-ups, 10 iterations);
    /// with one (<c>--job Dry</c> to check that everything works in a few seconds), that job, told to run in process.
    /// Results land beside the build output, which git ignores.
    /// </summary>
    public static (IConfig Config, string[] Args) Create(string[] args)
    {
        var config = DefaultConfig.Instance
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        if (args.Any(a => a is "--job" or "-j"))
        {
            return (config, args.Any(a => a.Equals("--inProcess", StringComparison.OrdinalIgnoreCase)) ? args : [.. args, "--inProcess"]);
        }
        var shortJob = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("Short")
            .AsDefault();
        return (config.AddJob(shortJob), args);
    }
}
