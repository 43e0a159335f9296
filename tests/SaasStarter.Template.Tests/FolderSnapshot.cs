using System.Text;
using System.Text.RegularExpressions;

namespace SaasStarter.Template.Tests;

/// <summary>
/// A generated folder to snapshot. <paramref name="Name"/> tells it from its siblings (a variant id); <paramref name="Files"/>
/// are the generated files (relative), listed when they were generated, so what a later build adds (bin/, obj/) does not
/// count; <paramref name="Normalize"/> maps what may rightly differ between siblings (the name forms) before comparing.
/// </summary>
public sealed record SnapshotTree(string Name, string Root, IReadOnlyList<string> Files, Func<string, string> Normalize)
{
    /// <summary>The folder's files as they are now, compared as they are.</summary>
    public SnapshotTree(string name, string root) : this(name, root, GeneratedFile.List(root), text => text) { }
}

/// <summary>
/// A folder's snapshot: every file with a short hash of its content, so a change to any file shows, then the full text
/// of the files whose content differs between sibling folders (the variants), so what an option changes reads as text.
/// A hash is of the scrubbed text with LF line ends and the root path and names normalised (of the bytes for binary
/// files): the same on every machine, and equal between siblings exactly when their files are.
/// A mismatch shows, for every file whose hash changed, a diff against its accepted text when that can be recovered
/// (the snapshot's own full text, or the folder as generated when the snapshot was accepted), else its whole new text.
/// </summary>
public sealed partial class FolderSnapshot
{
    private const int MaxFileLines = 200;
    private const int MaxExplainedLines = 5000;

    private readonly IReadOnlyList<Entry> _entries;
    private readonly Scrubber _scrubber;

    private FolderSnapshot(string text, IReadOnlyList<Entry> entries, Scrubber scrubber)
    {
        Text = text;
        _entries = entries;
        _scrubber = scrubber;
    }

    public string Text { get; }

    /// <summary>
    /// Snapshot <paramref name="target"/>, keeping the full text of the files that differ among <paramref name="siblings"/>
    /// (target included; a folder with no siblings is its own only one).
    /// </summary>
    public static FolderSnapshot Build(string heading, SnapshotTree target, IReadOnlyCollection<SnapshotTree> siblings, Scrubber scrubber)
    {
        var byTree = siblings.ToDictionary(tree => tree.Name, tree => Entries(tree, scrubber), StringComparer.Ordinal);
        var hashes = byTree.Values.Select(entries => entries.ToDictionary(e => e.Key, e => e.Hash, StringComparer.Ordinal)).ToList();
        var differing = hashes.SelectMany(h => h.Keys).Distinct(StringComparer.Ordinal)
            .Where(key => hashes.Select(h => h.GetValueOrDefault(key, "missing")).Distinct(StringComparer.Ordinal).Count() > 1)
            .ToHashSet(StringComparer.Ordinal);

        var entries = byTree[target.Name];
        var full = entries.Where(e => differing.Contains(e.Key)).ToList();
        var text = new StringBuilder(heading.TrimEnd('\n')).Append('\n');
        text.Append("# ").Append(entries.Count).Append(" files, each after the hash of its scrubbed content; the full text follows for the ")
            .Append(full.Count).Append(" that differ between ").AppendJoin(", ", siblings.Select(t => t.Name)).Append("\n\n");
        foreach (var entry in entries) text.Append(entry.Hash).Append("  ").Append(entry.Path).Append('\n');
        foreach (var entry in full) text.Append("\n===== ").Append(entry.Path).Append(" =====\n").Append(WithFinalNewline(entry.ReadText()));
        return new FolderSnapshot(text.ToString(), entries, scrubber);
    }

    /// <summary>
    /// Compares with <c>Snapshots/&lt;name&gt;.snap.txt</c> (see <see cref="Snapshot.VerifyAsync"/>). <paramref name="accepted"/>
    /// regenerates the folder as it was when the snapshot was accepted; without it (or when it fails), files whose accepted
    /// text the snapshot does not hold are shown in full.
    /// </summary>
    public Task VerifyAsync(string snapshotDirectory, string name, ITestOutputHelper? log, Func<Task<SnapshotTree>>? accepted = null) =>
        Snapshot.VerifyAsync(snapshotDirectory, name, Text, log, snapshot => ExplainAsync(snapshot, accepted));

    /// <summary>Every file whose hash changed (or that is new), as a diff against its accepted text or as its new text.</summary>
    private async Task<string> ExplainAsync(string snapshot, Func<Task<SnapshotTree>>? accepted)
    {
        var hashes = AcceptedHashes(snapshot);
        var texts = AcceptedTexts(snapshot);
        var changed = _entries.Where(e => !hashes.TryGetValue(e.Path, out var hash) || hash != e.Hash).ToList();
        if (changed.Count == 0) return "";

        Dictionary<string, Entry>? previous = null;
        string? noPrevious = null;
        if (changed.Any(e => hashes.ContainsKey(e.Path) && !texts.ContainsKey(e.Path)))
        {
            try
            {
                if (accepted is null) noPrevious = "nothing regenerates the accepted folder";
                else previous = Entries(await accepted(), _scrubber).DistinctBy(e => e.Path).ToDictionary(e => e.Path, StringComparer.Ordinal);
            }
            catch (Exception e)
            {
                noPrevious = $"regenerating the accepted folder failed: {e.Message}";
            }
        }

        var lines = new List<string> { "", "", $"{changed.Count} file(s) have new content:" };
        if (noPrevious is not null) lines.Add($"(Where the snapshot does not hold a file's accepted text, its new text is shown in full: {noPrevious}.)");
        foreach (var (entry, index) in changed.Select((e, i) => (e, i)))
        {
            if (lines.Sum(l => l.Count(c => c == '\n') + 1) > MaxExplainedLines)
            {
                lines.Add($"... and {changed.Count - index} more: " + string.Join(", ", changed.Skip(index).Select(e => e.Path)));
                break;
            }
            var text = WithFinalNewline(entry.ReadText());
            if (!hashes.TryGetValue(entry.Path, out var acceptedHash))
            {
                lines.Add($"===== {entry.Path} (new file, {entry.Hash}) =====");
                lines.Add(Snapshot.Cut(text.TrimEnd('\n').Split('\n'), MaxFileLines, "lines"));
            }
            else if (AcceptedText(entry.Path, acceptedHash, texts, previous) is { } before)
            {
                lines.Add($"===== {entry.Path} ({acceptedHash} -> {entry.Hash}) =====");
                lines.Add(Snapshot.UnifiedDiff(before, text, $"{entry.Path} (accepted)", $"{entry.Path} (received)", MaxFileLines));
            }
            else
            {
                lines.Add($"===== {entry.Path} ({acceptedHash} -> {entry.Hash}; accepted text not recoverable, the new text follows) =====");
                lines.Add(Snapshot.Cut(text.TrimEnd('\n').Split('\n'), MaxFileLines, "lines"));
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>The snapshot's own full text, else the regenerated file when its hash proves it is the accepted one.</summary>
    private static string? AcceptedText(string path, string acceptedHash, Dictionary<string, string> texts, Dictionary<string, Entry>? previous)
    {
        if (texts.TryGetValue(path, out var text)) return text;
        return previous is not null && previous.TryGetValue(path, out var entry) && entry.Hash == acceptedHash
            ? WithFinalNewline(entry.ReadText())
            : null;
    }

    /// <summary>The listing's <c>hash  path</c> lines (they come before the first full text).</summary>
    private static Dictionary<string, string> AcceptedHashes(string snapshot)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match line in ListingLine().Matches(snapshot.Split("\n===== ", 2)[0])) hashes[line.Groups["path"].Value] = line.Groups["hash"].Value;
        return hashes;
    }

    /// <summary>The full texts: each runs from its <c>===== path =====</c> line to the blank line before the next one.</summary>
    private static Dictionary<string, string> AcceptedTexts(string snapshot)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = snapshot.Split('\n');
        string? path = null;
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            var header = i < lines.Length ? TextHeader().Match(lines[i]) : null;
            if (i < lines.Length && !header!.Success) continue;
            // Drop the blank separator line (or the empty string after the file's last newline).
            if (path is not null) texts[path] = string.Join('\n', lines[start..(i - 1)]) + "\n";
            if (header is not null)
            {
                path = header.Groups["path"].Value;
                start = i + 1;
            }
        }
        return texts;
    }

    /// <summary>
    /// Files by their comparison key (scrubbed, name-normalised path). Two files that collapse onto one key
    /// (say My.Shop-2.cs and My.Shop_2.cs) keep their raw paths as keys, so both show as differing.
    /// </summary>
    private static List<Entry> Entries(SnapshotTree tree, Scrubber scrubber)
    {
        var files = tree.Files;
        string KeyOf(string file) => tree.Normalize(scrubber.ScrubPath(file));
        var keyCounts = files.CountBy(KeyOf, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        // In the order of the raw paths, so migrations stay listed in the order they apply.
        return files.Select(file =>
        {
            var fullPath = Path.Combine(tree.Root, file);
            // Generated files have no reason to hold where they were generated; if one does, the hash must not care.
            string ReadText() => scrubber.Scrub(GeneratedFile.ReadText(fullPath)).Replace(tree.Root, "{root}", StringComparison.Ordinal);
            var hash = GeneratedFile.ShortHash(GeneratedFile.IsBinary(fullPath)
                ? File.ReadAllBytes(fullPath)
                : Encoding.UTF8.GetBytes(tree.Normalize(ReadText())));
            var key = KeyOf(file);
            return new Entry(scrubber.ScrubPath(file), keyCounts[key] == 1 ? key : "\0" + file, hash, ReadText);
        }).ToList();
    }

    private static string WithFinalNewline(string text) => text.EndsWith('\n') ? text : text + "\n";

    /// <summary>One file: its scrubbed path as listed, its comparison key, its content hash and its scrubbed text.</summary>
    private sealed record Entry(string Path, string Key, string Hash, Func<string> ReadText);

    [GeneratedRegex(@"^(?<hash>[0-9a-f]{12})  (?<path>.+)$", RegexOptions.Multiline)]
    private static partial Regex ListingLine();

    [GeneratedRegex(@"^===== (?<path>.+) =====$")]
    private static partial Regex TextHeader();
}
