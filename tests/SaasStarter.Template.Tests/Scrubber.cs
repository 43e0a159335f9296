using System.Text.RegularExpressions;

namespace SaasStarter.Template.Tests;

/// <summary>
/// Makes generated text stable and safe to commit: what changes from run to run (GUIDs, migration
/// timestamps, randomly generated ports) or must never be committed (secrets) is replaced by a placeholder.
/// </summary>
public sealed partial class Scrubber(IReadOnlySet<string> staticHostPorts)
{
    /// <summary>
    /// The host:port pairs written literally in the template's content/: those are static (launchSettings'
    /// localhost:5080) and stay readable; any other port in a URL came from a generator and is scrubbed.
    /// </summary>
    public static Scrubber ForTemplate(string repoRoot)
    {
        var contentRoot = Path.Combine(repoRoot, "content");
        var ports = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(contentRoot, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(contentRoot, file).Replace('\\', '/');
            if (IsBuildOutput(relative) || GeneratedFile.IsBinary(file)) continue;
            foreach (Match match in HostPort().Matches(File.ReadAllText(file)))
            {
                ports.Add(match.Value);
            }
        }
        return new Scrubber(ports);
    }

    public string ScrubPath(string path) => MigrationTimestamp().Replace(path, "{timestamp}_");

    public string Scrub(string text)
    {
        text = text.Replace("\r\n", "\n");
        text = Guid().Replace(text, "{guid}");
        text = MigrationTimestamp().Replace(text, "{timestamp}_");
        text = ConnectionStringPassword().Replace(text, "${key}=***");
        text = JsonSecret().Replace(text, "${key}\"***\"");
        text = HostPort().Replace(text, m => staticHostPorts.Contains(m.Value) ? m.Value : $"{m.Groups["host"].Value}:{{port}}");
        return text;
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/') is var parts && parts.Any(p => p is "bin" or "obj" or "data" or "TestResults" or "node_modules");

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();

    /// <summary>EF migration ids (<c>20261126150224_Initial</c>) in file names and in [Migration("...")].</summary>
    [GeneratedRegex(@"(?<![0-9])20[0-9]{12}_")]
    private static partial Regex MigrationTimestamp();

    [GeneratedRegex(@"(?<key>\b(?:Password|Pwd)\s*)=[^;""'\r\n]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    /// <summary>Non-empty values of JSON/YAML keys that name a secret; empty placeholders stay as they are.</summary>
    [GeneratedRegex(@"(?<key>""?\w*(?:Password|Secret|ApiKey|Token)\w*""?\s*:\s*)""[^""\r\n]+""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecret();

    [GeneratedRegex(@"(?<host>localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|\+|\*):(?<port>[0-9]{2,5})\b")]
    private static partial Regex HostPort();
}
