// Upgrades this app to another version of the template it was generated from, keeping your changes:
//
//   dotnet run scripts/upgrade.cs -- --to <version | path/to/package.nupkg> [--from <version | path>] [--dry-run]
//
// It regenerates the untouched output of the recorded version (.saas-starter.json) and of the new one with the
// recorded options, and merges the difference into your files three ways (git merge-file), like a git merge of
// the template's branch: files you did not change take the template's version, files you both changed are merged
// line by line, and lines you both changed are left as conflict markers. It needs git and a clean working tree,
// and never commits: review with `git diff`, run the tests, then commit. README.md, "Upgrading", says more.
// One file and the base library only, so it runs wherever the .NET SDK does, with nothing to restore.

using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

try
{
    if (UpgradeArguments.Parse(args) is not { } arguments)
    {
        Console.WriteLine(UpgradeArguments.Usage);
        return 0;
    }
    return Upgrade.Run(arguments);
}
catch (UpgradeError error)
{
    Console.Error.WriteLine($"upgrade: {error.Message}");
    return 2;
}

/// <summary>A reason to stop before anything in the app changed: printed as one message, exit code 2.</summary>
sealed class UpgradeError(string message) : Exception(message);

sealed record UpgradeArguments(string To, string? From, bool DryRun)
{
    public const string Usage = """
        Upgrades this app to another version of its template, keeping your changes (three-way merge with git).

        dotnet run scripts/upgrade.cs -- --to <version | package.nupkg> [--from <version | package.nupkg>] [--dry-run]

          --to       the version to upgrade to (installed from your NuGet feeds) or the path of its .nupkg
          --from     the version the app was generated with, or its .nupkg (default: the version in .saas-starter.json)
          --dry-run  report what would change and which files would conflict; change nothing

        Exit code: 0 upgraded, 1 upgraded with conflicts (markers left in the files), 2 refused (nothing changed).
        """;

    /// <summary>The arguments, or null when help was asked for.</summary>
    public static UpgradeArguments? Parse(string[] args)
    {
        string? to = null, from = null;
        var dryRun = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help" or "-?":
                    return null;
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--to" when i + 1 < args.Length:
                    to = args[++i];
                    break;
                case "--from" when i + 1 < args.Length:
                    from = args[++i];
                    break;
                default:
                    throw new UpgradeError($"unexpected argument '{args[i]}'.\n\n{Usage}");
            }
        }
        return to is null ? throw new UpgradeError($"--to is required.\n\n{Usage}") : new UpgradeArguments(to, from, dryRun);
    }
}

static class Upgrade
{
    public static int Run(UpgradeArguments arguments)
    {
        var app = Recording.FindAppRoot();
        Git.RequireCleanWorkingTree(app);
        var recorded = Recording.Read(app);

        var work = Directory.CreateTempSubdirectory("template-upgrade-");
        try
        {
            var old = Template.Generate(recorded, arguments.From ?? recorded.Version, app, work.FullName, "old");
            if (old.Version != recorded.Version)
            {
                throw new UpgradeError($"this app records version {recorded.Version}, but --from gave version {old.Version}: " +
                    "pass the package the app was generated with.");
            }
            var target = Template.Generate(recorded, arguments.To, app, work.FullName, "new");

            Console.WriteLine($"{recorded.Template} {old.Version} -> {target.Version}: {app}");
            Console.WriteLine($"  regenerated with: dotnet new {recorded.Template} {string.Join(' ', recorded.NewArguments.Select(Quote))}");
            var merge = new ThreeWayMerge(app, old, target, Path.Combine(work.FullName, "merge"));
            var changes = merge.Plan();
            if (!arguments.DryRun) merge.Apply(changes);
            Report(changes, arguments.DryRun);
            return changes.Any(c => c.Kind == ChangeKind.Conflict) ? 1 : 0;
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static void Report(IReadOnlyList<Change> changes, bool dryRun)
    {
        foreach (var change in changes.OrderBy(c => c.Kind).ThenBy(c => c.Path, StringComparer.Ordinal))
        {
            var label = change.Kind.ToString().ToLowerInvariant();
            Console.WriteLine($"  {label,-9} {change.Path}{(change.Note is null ? "" : $": {change.Note}")}");
        }
        var conflicts = changes.Count(c => c.Kind == ChangeKind.Conflict);
        var counts = Enum.GetValues<ChangeKind>().Where(kind => kind != ChangeKind.Conflict)
            .Select(kind => $"{changes.Count(c => c.Kind == kind)} {kind.ToString().ToLowerInvariant()}");
        Console.WriteLine($"{string.Join(", ", counts)}, {conflicts} conflict{(conflicts == 1 ? "" : "s")}.");

        if (dryRun)
        {
            Console.WriteLine("Dry run: nothing was changed.");
        }
        else if (changes.Count == 0)
        {
            Console.WriteLine("Nothing to change: the template's output is the same in both versions.");
        }
        else if (conflicts > 0)
        {
            Console.WriteLine("Resolve the conflicts (look for <<<<<<< in the files), build and test, then commit.");
            Console.WriteLine("To abandon the upgrade: git checkout -- . && git clean -fd");
        }
        else
        {
            Console.WriteLine("Upgraded. Review with git diff, build and test, then commit.");
        }
    }

    private static string Quote(string argument) =>
        argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? $"\"{argument}\"" : argument;

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"upgrade: could not delete {directory.FullName} ({e.Message}); it is safe to remove.");
        }
    }
}

/// <summary>
/// .saas-starter.json at the app's root: which template, package and version generated the app, and every option
/// it was given (the name verbatim). The template writes it; an upgrade brings the new version's copy.
/// </summary>
sealed record Recording(string Template, string Package, string Version, IReadOnlyList<KeyValuePair<string, string>> Options)
{
    public const string FileName = ".saas-starter.json";

    /// <summary>The options as `dotnet new` takes them: `name` is -n, every other option is --option value.</summary>
    public IReadOnlyList<string> NewArguments =>
        Options.SelectMany(option => option.Key == "name" ? new[] { "-n", option.Value } : [$"--{option.Key}", option.Value]).ToList();

    /// <summary>The folder holding the recording: from the current folder up, else from this script's folder up.</summary>
    public static string FindAppRoot()
    {
        var starts = new[] { Environment.CurrentDirectory, AppContext.GetData("EntryPointFileDirectoryPath") as string };
        foreach (var start in starts.OfType<string>())
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, FileName))) return folder.FullName;
            }
        }
        throw new UpgradeError($"no {FileName} in this folder or above: run this in an app generated by `dotnet new`.");
    }

    public static Recording Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty");
            var options = root["options"]?.AsObject() ?? throw new JsonException("no \"options\" object");
            return new Recording(
                Text(root, "template"), Text(root, "package"), Text(root, "version"),
                options.Select(option => KeyValuePair.Create(option.Key, option.Value?.GetValue<string>()
                    ?? throw new JsonException($"option \"{option.Key}\" has no value"))).ToList());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UpgradeError($"{path} is not a template recording ({e.Message}).");
        }
    }

    private static string Text(JsonObject root, string property) =>
        root[property]?.GetValue<string>() is { Length: > 0 } value ? value : throw new JsonException($"no \"{property}\"");
}

/// <summary>An untouched output of one template version, generated into a folder of its own.</summary>
sealed record Pristine(string Folder, string Version);

static class Template
{
    /// <summary>
    /// Installs the package (a .nupkg path, or a version from the NuGet feeds the app's folder sees) into a throwaway
    /// template hive, so the user's own templates are neither used nor changed, and generates it with the recorded options.
    /// </summary>
    public static Pristine Generate(Recording recorded, string versionOrPackage, string app, string work, string name)
    {
        var package = versionOrPackage.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) || File.Exists(versionOrPackage)
            ? Path.GetFullPath(versionOrPackage)
            : $"{recorded.Package}@{versionOrPackage}";
        if (package.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) && !File.Exists(package))
        {
            throw new UpgradeError($"no package at {package}.");
        }

        var hive = Path.Combine(work, $"hive-{name}");
        var output = Path.Combine(work, name);
        // The app's folder as the working folder: the install then uses the app's (the team's) NuGet.config.
        Shell.Run("dotnet", ["new", "install", package, "--debug:custom-hive", hive], app, $"installing {package}");
        Shell.Run("dotnet", ["new", recorded.Template, .. recorded.NewArguments, "-o", output, "--no-update-check", "--debug:custom-hive", hive],
            work, $"generating {package} with the recorded options");

        if (!File.Exists(Path.Combine(output, Recording.FileName)))
        {
            throw new UpgradeError($"{package} does not write {Recording.FileName}: it predates upgrades and cannot be merged.");
        }
        return new Pristine(output, Recording.Read(output).Version);
    }
}

enum ChangeKind { Updated, Added, Deleted, Merged, Conflict }

/// <summary>One file the upgrade changes (or would, or cannot): what to write, or null to delete or to keep yours.</summary>
sealed record Change(string Path, ChangeKind Kind, byte[]? Content, bool Delete = false, string? Note = null);

/// <summary>
/// The old and new template outputs against the app's files, per file: base = old output, theirs = new output,
/// ours = the app. A file the template did not change between the versions is never looked at.
/// </summary>
sealed class ThreeWayMerge(string app, Pristine old, Pristine target, string scratch)
{
    public IReadOnlyList<Change> Plan()
    {
        var paths = Files(old.Folder).Union(Files(target.Folder)).Order(StringComparer.Ordinal);
        var changes = new List<Change>();
        foreach (var path in paths)
        {
            var before = ReadOrNull(old.Folder, path);
            var after = ReadOrNull(target.Folder, path);
            if (SameBytes(before, after)) continue;
            if (PlanFile(path, before, after, ReadOrNull(app, path)) is { } change) changes.Add(change);
        }
        return changes;
    }

    public void Apply(IEnumerable<Change> changes)
    {
        foreach (var change in changes)
        {
            var path = Path.Combine(app, change.Path);
            if (change.Delete)
            {
                File.Delete(path);
                RemoveEmptyFolders(Path.GetDirectoryName(path)!);
            }
            else if (change.Content is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, change.Content);
            }
        }
    }

    private Change? PlanFile(string path, byte[]? before, byte[]? after, byte[]? yours)
    {
        if (SameBytes(yours, after)) return null; // you already have what the new version has
        if (after is null)
        {
            return SameBytes(yours, before) ? new Change(path, ChangeKind.Deleted, null, Delete: true)
                : yours is null ? null
                : new Change(path, ChangeKind.Conflict, null, Note: "the template deleted it, you changed it (kept yours)");
        }
        if (yours is null)
        {
            return before is null ? new Change(path, ChangeKind.Added, after)
                : new Change(path, ChangeKind.Conflict, null, Note: "the template changed it, you deleted it (left deleted)");
        }
        if (before is not null && SameBytes(yours, before)) return new Change(path, ChangeKind.Updated, after);

        // Both sides changed it (or both added it): merge line by line, in your line endings.
        if (IsBinary(yours) || IsBinary(after) || (before is not null && IsBinary(before)))
        {
            return new Change(path, ChangeKind.Conflict, null, Note: "a binary file both changed (kept yours)");
        }
        var (merged, conflicts) = MergeFile(path, yours, InLineEndingsOf(yours, before ?? []), InLineEndingsOf(yours, after));
        return conflicts == 0
            ? new Change(path, ChangeKind.Merged, merged)
            : new Change(path, ChangeKind.Conflict, merged,
                Note: before is null ? "you both added it (conflict markers in the file)" : "you both changed the same lines (conflict markers in the file)");
    }

    /// <summary>git merge-file on copies in the scratch folder: the result and how many conflicts it marked.</summary>
    private (byte[] Merged, int Conflicts) MergeFile(string path, byte[] yours, byte[] before, byte[] after)
    {
        var folder = Path.Combine(scratch, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string Write(string name, byte[] content)
        {
            var file = Path.Combine(folder, name);
            File.WriteAllBytes(file, content);
            return file;
        }
        var result = Write("yours", yours);
        var exit = Shell.Run("git",
            ["merge-file", "-L", "yours", "-L", $"template {old.Version}", "-L", $"template {target.Version}",
             result, Write("base", before), Write("theirs", after)],
            folder, $"merging {path}", acceptExitCode: code => code is >= 0 and < 128);
        return (File.ReadAllBytes(result), exit);
    }

    /// <summary>A template file with CRLF or LF line ends as your copy has them (git's autocrlf may have changed yours).</summary>
    private static byte[] InLineEndingsOf(byte[] yours, byte[] template)
    {
        var text = Encoding.UTF8.GetString(template);
        var yoursUsesCrlf = Encoding.UTF8.GetString(yours).Contains("\r\n", StringComparison.Ordinal);
        var lf = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var converted = yoursUsesCrlf ? lf.Replace("\n", "\r\n", StringComparison.Ordinal) : lf;
        return converted == text ? template : Encoding.UTF8.GetBytes(converted);
    }

    private void RemoveEmptyFolders(string folder)
    {
        var root = Path.GetFullPath(app);
        for (var current = new DirectoryInfo(folder); current is not null && Path.GetFullPath(current.FullName) != root; current = current.Parent)
        {
            if (current.EnumerateFileSystemInfos().Any()) return;
            current.Delete();
        }
    }

    /// <summary>Every file under a generated folder, relative, with forward slashes.</summary>
    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/'));

    private static byte[]? ReadOrNull(string folder, string path)
    {
        var file = Path.Combine(folder, path);
        return File.Exists(file) ? File.ReadAllBytes(file) : null;
    }

    private static bool SameBytes(byte[]? a, byte[]? b) =>
        a is null || b is null ? a == b : a.AsSpan().SequenceEqual(b);

    /// <summary>Git's test: a NUL byte in the first 8000 bytes.</summary>
    private static bool IsBinary(byte[] content) => content.AsSpan(0, Math.Min(content.Length, 8000)).Contains((byte)0);
}

static class Git
{
    public static void RequireCleanWorkingTree(string app)
    {
        Shell.Run("git", ["rev-parse", "--is-inside-work-tree"], app,
            "checking for a git repository (the upgrade merges into committed files: git init, add and commit first)");
        var status = Shell.Output("git", ["status", "--porcelain", "--", "."], app, "reading git status");
        if (status.Length > 0)
        {
            throw new UpgradeError("the working tree has uncommitted changes or untracked files; commit or stash them first " +
                "(the upgrade must be able to show you its own changes, and you to undo them). Nothing was changed.\n" + status);
        }
    }
}

static class Shell
{
    public static string Output(string program, IReadOnlyList<string> arguments, string folder, string doing)
    {
        var output = new StringBuilder();
        Run(program, arguments, folder, doing, output: output);
        return output.ToString().TrimEnd();
    }

    /// <summary>Runs a program to the end and returns its exit code; any other exit code than accepted stops the upgrade.</summary>
    public static int Run(string program, IReadOnlyList<string> arguments, string folder, string doing,
        Func<int, bool>? acceptExitCode = null, StringBuilder? output = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new UpgradeError($"could not start {program}.");
        }
        catch (Win32Exception)
        {
            throw new UpgradeError($"{program} is not installed (or not on PATH); the upgrade needs it.");
        }
        using (process)
        {
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            output?.Append(standardOutput.Result);
            if (acceptExitCode?.Invoke(process.ExitCode) ?? process.ExitCode == 0) return process.ExitCode;
            throw new UpgradeError($"{doing} failed: `{program} {string.Join(' ', arguments)}` exited {process.ExitCode}.\n" +
                $"{standardOutput.Result}{standardError.Result}".Trim());
        }
    }
}
