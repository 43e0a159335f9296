using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace SaasStarter.Template.Tests;

/// <summary>
/// Compares a received text with the accepted <c>Snapshots/&lt;name&gt;.snap.txt</c>. A mismatch writes
/// <c>&lt;name&gt;.received.txt</c> beside it and fails with a unified diff (plus whatever the caller explains);
/// accepting is a developer's explicit step, never something CI does.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "SAASSTARTER_ACCEPT_SNAPSHOTS";
    public const string AcceptCommand = "dotnet cake --target=AcceptSnapshots";
    public const int MaxDiffLines = 200;

    /// <param name="explain">Given the accepted text, says more about the change than the snapshot's own diff can.</param>
    public static async Task VerifyAsync(
        string snapshotDirectory, string name, string received, ITestOutputHelper? log = null, Func<string, Task<string>>? explain = null)
    {
        var snapshotPath = Path.Combine(snapshotDirectory, $"{name}.snap.txt");
        var receivedPath = Path.Combine(snapshotDirectory, $"{name}.received.txt");
        var expected = File.Exists(snapshotPath) ? File.ReadAllText(snapshotPath).Replace("\r\n", "\n") : null;

        if (expected == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(snapshotDirectory);
        if (AcceptRequested())
        {
            File.WriteAllText(snapshotPath, received);
            File.Delete(receivedPath);
            log?.WriteLine($"Accepted snapshot {snapshotPath} ({AcceptVariable}=1): review `git diff` before committing.");
            return;
        }

        File.WriteAllText(receivedPath, received);
        var why = expected is null ? "does not exist yet" : "differs from what is generated now";
        var details = expected is not null && explain is not null ? await explain(expected) : "";
        throw new Xunit.Sdk.XunitException(
            $"Snapshot {snapshotPath} {why}.\n" +
            $"Received: {receivedPath}\n" +
            $"If the change is intended, accept it with `{AcceptCommand}` (or run the tests again on your machine with " +
            $"{AcceptVariable}=1) and commit the .snap.txt files.\n\n" +
            UnifiedDiff(expected ?? "", received, $"{name}.snap.txt", $"{name}.received.txt") + details);
    }

    /// <summary>
    /// True when a developer asked to accept. CI must never accept silently: .ci/run refuses to start with the variable
    /// set, and this refuses too when a CI service (they set <c>CI</c>) runs the tests some other way.
    /// </summary>
    private static bool AcceptRequested()
    {
        if (Environment.GetEnvironmentVariable(AcceptVariable) != "1") return false;
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            throw new Xunit.Sdk.XunitException(
                $"{AcceptVariable}=1 is refused in CI (CI={ci}): accept on your machine with `{AcceptCommand}` and commit the snapshots.");
        }
        return true;
    }

    /// <summary>A unified diff (3 lines of context), cut after <paramref name="maxLines"/> lines.</summary>
    public static string UnifiedDiff(string expected, string actual, string expectedName, string actualName, int maxLines = MaxDiffLines)
    {
        var lines = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false, ignoreCase: false).Lines;
        var changed = lines.Select((line, i) => (line, i)).Where(p => p.line.Type != ChangeType.Unchanged).Select(p => p.i).ToList();
        var output = new List<string> { $"--- {expectedName}", $"+++ {actualName}" };

        const int context = 3;
        var index = 0;
        while (index < changed.Count)
        {
            // Grow a hunk while the next change is within two contexts of the last one.
            var first = Math.Max(0, changed[index] - context);
            var last = changed[index];
            while (index + 1 < changed.Count && changed[index + 1] - last <= 2 * context) last = changed[++index];
            last = Math.Min(lines.Count - 1, last + context);
            index++;

            var oldStart = 1 + lines.Take(first).Count(l => l.Type != ChangeType.Inserted);
            var newStart = 1 + lines.Take(first).Count(l => l.Type != ChangeType.Deleted);
            var hunk = lines.Skip(first).Take(last - first + 1).ToList();
            output.Add($"@@ -{oldStart},{hunk.Count(l => l.Type != ChangeType.Inserted)} +{newStart},{hunk.Count(l => l.Type != ChangeType.Deleted)} @@");
            output.AddRange(hunk.Select(l => l.Type switch
            {
                ChangeType.Inserted => "+" + l.Text,
                ChangeType.Deleted => "-" + l.Text,
                _ => " " + l.Text,
            }));
        }

        return Cut(output, maxLines, "diff lines: compare the files");
    }

    /// <summary>The first <paramref name="maxLines"/> lines, and how many more there were.</summary>
    public static string Cut(IReadOnlyList<string> lines, int maxLines, string what) =>
        lines.Count <= maxLines
            ? string.Join('\n', lines)
            : string.Join('\n', lines.Take(maxLines)) + $"\n... ({lines.Count - maxLines} more {what})";
}
