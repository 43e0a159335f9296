using System.Diagnostics;

namespace SaasStarter.Template.Tests;

/// <summary>
/// The Dockerfile runs the app as a non-root user that can write only to /data. When these tests run as
/// root (as CI does) the published app is started as <c>nobody</c> the same way, so an app that writes
/// beside its binaries or needs root fails here and not first in somebody's container.
/// </summary>
internal static class ContainerUser
{
    private const string RunUser = "/usr/sbin/runuser";

    /// <summary><c>nobody</c> when the tests can switch to it, otherwise null (the app then runs as the current user).</summary>
    public static string? Name { get; } = Environment.UserName == "root" && File.Exists(RunUser) ? "nobody" : null;

    /// <summary>The command that starts <paramref name="args"/> as the container user.</summary>
    public static (string FileName, string[] Args) Command(string fileName, params string[] args) =>
        Name is null ? (fileName, args) : (RunUser, ["-u", Name, "--", fileName, .. args]);

    /// <summary>Binaries readable by everyone, as in the image; the data folder owned by the app's user, as /data is.</summary>
    public static void Prepare(string publishDirectory, string dataDirectory)
    {
        if (Name is null || OperatingSystem.IsWindows()) return;
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        for (var folder = new DirectoryInfo(publishDirectory); folder is not null && folder.FullName != Path.GetTempPath().TrimEnd('/'); folder = folder.Parent)
        {
            File.SetUnixFileMode(folder.FullName, readable);
        }
        using var chown = Process.Start("chown", ["-R", Name, dataDirectory]);
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new InvalidOperationException($"chown {Name} {dataDirectory} exited with {chown.ExitCode}");
    }
}
