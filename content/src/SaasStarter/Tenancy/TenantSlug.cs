using System.Text.RegularExpressions;

namespace SaasStarter.Tenancy;

/// <summary>The rules of a tenant's URL slug (/t/{slug}): lowercase letters, digits and single dashes, 3–40 long.</summary>
public static partial class TenantSlug
{
    public const int MinLength = 3;
    public const int MaxLength = 40;
    public const int MaxNameLength = 100;

    /// <summary>Words that are, or may become, the app's own paths and host names.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "admin", "api", "app", "account", "accounts", "auth", "dashboard", "dev", "docs", "health", "help",
        "identity", "login", "logout", "mail", "new", "openapi", "operator", "scalar", "settings", "setup",
        "signin", "signup", "static", "status", "support", "system", "t", "tenant", "tenants", "www",
    };

    /// <summary>Null when <paramref name="slug"/> is acceptable, otherwise what is wrong, in words for a form.</summary>
    public static string? Problem(string? slug)
    {
        if (string.IsNullOrEmpty(slug)) return "Choose an address for the workspace.";
        if (slug.Length is < MinLength or > MaxLength) return $"Use {MinLength} to {MaxLength} characters.";
        if (!Shape().IsMatch(slug)) return "Use lowercase letters, digits and single dashes, starting and ending with a letter or digit.";
        if (Reserved.Contains(slug)) return $"'{slug}' is reserved; choose another.";
        return null;
    }

    /// <summary>Null when <paramref name="name"/> (trimmed) is acceptable as a workspace name, otherwise what is wrong.</summary>
    public static string? NameProblem(string name) => name switch
    {
        { Length: 0 } => "Give the workspace a name.",
        { Length: > MaxNameLength } => $"Use at most {MaxNameLength} characters.",
        // PostgreSQL cannot store NUL in text; refused here rather than failing on save.
        _ when name.Any(char.IsControl) => "Remove the control characters from the name.",
        _ => null,
    };

    /// <summary>A slug suggested from a name ("Acme Ltd." → "acme-ltd"; none: empty); may still need checking.</summary>
    public static string Suggest(string? name)
    {
        var lower = NotAllowed().Replace((name ?? "").Trim().ToLowerInvariant(), "-").Trim('-');
        return lower.Length > MaxLength ? lower[..MaxLength].TrimEnd('-') : lower;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Shape();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotAllowed();
}
