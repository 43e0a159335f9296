namespace SaasStarter.Template.Tests;

/// <summary>
/// Line edits the way a person makes them, each anchored on one whole line (compared without indentation) that must
/// occur exactly once: when the template's files change shape, the edit fails loudly instead of silently missing.
/// </summary>
public static class LineEdits
{
    /// <summary>Replaces the anchor line, keeping its indentation.</summary>
    public static void Replace(string file, string anchor, string replacement) =>
        Edit(file, anchor, (lines, index, indent) => lines[index] = indent + replacement);

    /// <summary>Inserts a line above the anchor line, with its indentation.</summary>
    public static void InsertBefore(string file, string anchor, string inserted) =>
        Edit(file, anchor, (lines, index, indent) => lines.Insert(index, indent + inserted));

    private static void Edit(string file, string anchor, Action<List<string>, int, string> edit)
    {
        var lines = File.ReadAllText(file).Split('\n').ToList();
        var matches = lines.Select((line, index) => (line, index)).Where(p => p.line.Trim() == anchor).ToList();
        Assert.True(matches.Count == 1, $"Expected the line `{anchor}` once in {file}, found it {matches.Count} times.");
        var (line, index) = matches[0];
        edit(lines, index, line[..^line.TrimStart().Length]);
        File.WriteAllText(file, string.Join('\n', lines));
    }
}
