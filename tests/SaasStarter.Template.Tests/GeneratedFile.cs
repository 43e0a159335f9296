using System.Security.Cryptography;

namespace SaasStarter.Template.Tests;

/// <summary>Reading generated files the same way everywhere.</summary>
public static class GeneratedFile
{
    /// <summary>Every file under <paramref name="root"/>, relative, with forward slashes, sorted ordinally (stable across machines).</summary>
    public static IReadOnlyList<string> List(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>A NUL byte in the first 8 KB: the heuristic git uses.</summary>
    public static bool IsBinary(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> buffer = stackalloc byte[8192];
        var read = stream.Read(buffer);
        return buffer[..read].Contains((byte)0);
    }

    /// <summary>Text with LF line ends, or a one-line stand-in for binary files.</summary>
    public static string ReadText(string path) =>
        IsBinary(path)
            ? $"(binary, {new FileInfo(path).Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))})"
            : File.ReadAllText(path).Replace("\r\n", "\n");

    /// <summary>The first 12 hex digits of the SHA-256: any change shows, and a listing of them stays readable in a diff.</summary>
    public static string ShortHash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content))[..12];

    /// <summary>
    /// The forms the template engine derives from <c>-n</c> (as typed, namespace-safe, identifier-safe, and
    /// lower-case of each), mapped to <see cref="Variant.ReferenceName"/>'s forms so that only real
    /// differences between variants remain.
    /// </summary>
    public static string NormalizeName(Variant variant, string text)
    {
        if (variant.Name == Variant.ReferenceName) return text;
        foreach (var (form, replacement) in NameForms(variant.Name))
        {
            text = text.Replace(form, replacement, StringComparison.Ordinal);
        }
        return text;
    }

    public static IReadOnlyList<(string Form, string Replacement)> NameForms(string name)
    {
        var namespaceSafe = string.Join('.', name.Split('.').Select(Identifier));
        var identifierSafe = Identifier(name);
        var mixed = new[] { name, namespaceSafe, identifierSafe }.Distinct().Select(f => (f, Variant.ReferenceName));
        var lower = new[] { name, namespaceSafe, identifierSafe }.Select(f => f.ToLowerInvariant()).Distinct()
            .Select(f => (f, Variant.ReferenceName.ToLowerInvariant()));
        return mixed.Concat(lower).OrderByDescending(p => p.Item1.Length).ToList();
    }

    private static string Identifier(string text)
    {
        var chars = text.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        var identifier = new string(chars);
        return identifier.Length > 0 && char.IsDigit(identifier[0]) ? "_" + identifier : identifier;
    }
}
