using Microsoft.Net.Http.Headers;

namespace SaasStarter.Api;

/// <summary>
/// ETags of <see cref="Data.IVersioned"/> resources: the version as a strong, quoted integer (<c>"3"</c>), and the
/// <c>If-Match</c> preconditions written against them.
/// </summary>
public static class VersionTags
{
    public const string IfMatchHeader = "If-Match";

    public static string For(int version) => $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The tags of an If-Match header: null when there is none (the write applies whatever the version), false when it
    /// cannot be read (answer 400 rather than guess).
    /// </summary>
    public static bool TryParseIfMatch(string? header, out IfMatch? ifMatch)
    {
        ifMatch = null;
        if (string.IsNullOrWhiteSpace(header)) return true;
        if (!EntityTagHeaderValue.TryParseStrictList([header], out var tags) || tags.Count == 0) return false;
        ifMatch = new IfMatch(tags);
        return true;
    }

    /// <summary>The 400 a malformed If-Match gets.</summary>
    public static Dictionary<string, string[]> IfMatchProblem() => new()
    {
        [IfMatchHeader] = ["Send the ETag of the version you read, quotes included (e.g. \"3\"), or * for any version."],
    };
}

/// <summary>An If-Match precondition: met by <c>*</c> or by a strong tag equal to the current version's (RFC 9110 §13.1.1).</summary>
public sealed class IfMatch(IList<EntityTagHeaderValue> tags)
{
    /// <summary>The precondition "still at <paramref name="version"/>": what a form that carries the version it showed sends.</summary>
    public static IfMatch Version(int version) => new([new EntityTagHeaderValue(VersionTags.For(version))]);

    public bool IsMetBy(int version)
    {
        var current = new EntityTagHeaderValue(VersionTags.For(version));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: true));
    }
}
