using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace SaasStarter.Template.Tests;

/// <summary>
/// A variant's snapshot: its sorted file list, then the full text of every file whose content differs
/// between the variants (after mapping the name variant onto "Acme"), scrubbed. Identical files are
/// listed only, so a snapshot shows what an option changes and stays short enough to review.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "SAASSTARTER_ACCEPT_SNAPSHOTS";
    private const int MaxDiffLines = 200;

    public static string Build(Variant target, IReadOnlyDictionary<Variant, GeneratedVariant> all, Scrubber scrubber)
    {
        // Key = scrubbed, name-normalized path; value = that variant's raw relative path.
        var byKey = all.ToDictionary(
            pair => pair.Key,
            pair => KeyedFiles(pair.Key, pair.Value, scrubber));
        var keys = byKey.Values.SelectMany(files => files.Keys).ToHashSet(StringComparer.Ordinal);

        var differing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var contents = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (variant, files) in byKey)
            {
                contents.Add(files.TryGetValue(key, out var path)
                    ? GeneratedFile.NormalizeName(variant, scrubber.Scrub(GeneratedFile.ReadText(all[variant].FullPath(path))))
                    : "\0missing");
            }
            if (contents.Count > 1) differing.Add(key);
        }

        var generated = all[target];
        var text = new StringBuilder();
        text.Append("# dotnet new ").Append(TemplateFixture.ShortName).Append(' ')
            .AppendJoin(' ', target.NewArguments).Append('\n');
        text.Append("# ").Append(generated.Files.Count).Append(" files; the full text follows for the ")
            .Append(byKey[target].Keys.Count(differing.Contains)).Append(" that differ between variants (")
            .AppendJoin(", ", all.Keys.Select(v => v.Id)).Append(")\n\n");
        foreach (var file in generated.Files)
        {
            text.Append(scrubber.ScrubPath(file)).Append('\n');
        }

        var targetKeys = byKey[target].ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        foreach (var file in generated.Files.Where(f => differing.Contains(targetKeys[f])))
        {
            var content = scrubber.Scrub(GeneratedFile.ReadText(generated.FullPath(file)));
            text.Append("\n===== ").Append(scrubber.ScrubPath(file)).Append(" =====\n").Append(content);
            if (!content.EndsWith('\n')) text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Passes when the snapshot matches. Otherwise writes <c>variant.received.txt</c> beside it and fails
    /// with a unified diff; with SAASSTARTER_ACCEPT_SNAPSHOTS=1 it overwrites the snapshot instead.
    /// </summary>
    public static void Verify(string snapshotDirectory, string name, string received, ITestOutputHelper? log = null)
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
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(snapshotPath, received);
            File.Delete(receivedPath);
            log?.WriteLine($"Accepted snapshot {snapshotPath} ({AcceptVariable}=1).");
            return;
        }

        File.WriteAllText(receivedPath, received);
        var why = expected is null ? "does not exist yet" : "differs from what the template generates now";
        throw new Xunit.Sdk.XunitException(
            $"Snapshot {snapshotPath} {why}.\n" +
            $"Received: {receivedPath}\n" +
            $"If the change is intended, accept it: tests/accept-snapshots.sh, or run again with {AcceptVariable}=1.\n\n" +
            UnifiedDiff(expected ?? "", received, $"{name}.snap.txt", $"{name}.received.txt"));
    }

    /// <summary>A unified diff (3 lines of context), cut after <see cref="MaxDiffLines"/> lines.</summary>
    public static string UnifiedDiff(string expected, string actual, string expectedName, string actualName)
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

        if (output.Count <= MaxDiffLines) return string.Join('\n', output);
        return string.Join('\n', output.Take(MaxDiffLines)) + $"\n... ({output.Count - MaxDiffLines} more diff lines: compare the files)";
    }

    /// <summary>
    /// Files by their comparison key (scrubbed, name-normalized path). Two files that collapse onto one key
    /// (say My.Shop-2.cs and My.Shop_2.cs) keep their raw paths as keys, so both show as differing.
    /// </summary>
    private static Dictionary<string, string> KeyedFiles(Variant variant, GeneratedVariant generated, Scrubber scrubber)
    {
        var keyed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in generated.Files.GroupBy(f => GeneratedFile.NormalizeName(variant, scrubber.ScrubPath(f)), StringComparer.Ordinal))
        {
            if (group.Count() == 1) keyed[group.Key] = group.Single();
            else foreach (var file in group) keyed["\0" + file] = file;
        }
        return keyed;
    }
}
