namespace SaasStarter.Template.Tests;

/// <summary>
/// git on the repo. Tests that compare with git's view need it and fail with a clear message without it (every machine
/// that runs these tests has git): passing without comparing would be a test that cannot fail.
/// </summary>
public static class Git
{
    /// <summary>Runs git; throws only when git itself is missing, so callers judge the exit code.</summary>
    public static async Task<ProcessResult> RunAsync(string repoRoot, IReadOnlyList<string> args, ITestOutputHelper? log)
    {
        try
        {
            return await Dotnet.RunProgramAsync("git", ["-C", repoRoot, .. args], repoRoot, Dotnet.ShortTimeout, log);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"git is needed here and could not be started ({e.Message}): install git.");
        }
    }

    /// <summary>Runs git and returns what it printed, or fails with its output.</summary>
    public static async Task<string> RunCheckedAsync(string repoRoot, IReadOnlyList<string> args, ITestOutputHelper? log)
    {
        var result = await RunAsync(repoRoot, args, log);
        if (!result.Succeeded) throw new Xunit.Sdk.XunitException($"{result.Describe()}\n{result.Tail()}");
        return result.Output;
    }

    /// <summary>Fails unless <paramref name="repoRoot"/> is a git work tree.</summary>
    public static async Task RequireCheckoutAsync(string repoRoot, ITestOutputHelper? log)
    {
        var result = await RunAsync(repoRoot, ["rev-parse", "--is-inside-work-tree"], log);
        if (!result.Succeeded || result.Output.Trim() != "true")
        {
            throw new Xunit.Sdk.XunitException(
                $"{repoRoot} must be a git checkout: this test compares the package with what git tracks and ignores.\n{result.Describe()}\n{result.Tail()}");
        }
    }
}
