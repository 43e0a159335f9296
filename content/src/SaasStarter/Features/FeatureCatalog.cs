using SaasStarter.Hosting;

namespace SaasStarter.Features;

/// <summary>What the pages say about a flag, and whether a workspace owner may switch it.</summary>
public sealed record FeatureInfo(string Name, string Description, bool OwnerToggleable);

/// <summary>
/// The flags declared in configuration in Microsoft's feature management schema (<c>feature_management:feature_flags</c>,
/// which the library evaluates), with two fields the library ignores and the app reads: <c>description</c> (in the schema)
/// and <c>owner_toggleable</c> (the app's own). Read once at start-up; every flag the code uses must be declared.
/// </summary>
public sealed class FeatureCatalog
{
    public const string Section = "feature_management:feature_flags";

    private FeatureCatalog(IReadOnlyList<FeatureInfo> all) => All = all;

    public IReadOnlyList<FeatureInfo> All { get; }

    public FeatureInfo? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    public static FeatureCatalog Read(IConfiguration config)
    {
        var flags = new List<FeatureInfo>();
        foreach (var flag in config.GetSection(Section).GetChildren())
        {
            var id = flag["id"];
            if (string.IsNullOrWhiteSpace(id)) throw new ConfigurationError($"{flag.Path}:id", "every feature flag needs an id.");
            if (flags.Any(f => f.Name == id)) throw new ConfigurationError($"{flag.Path}:id", $"the flag '{id}' is declared twice.");
            var toggleable = flag["owner_toggleable"];
            flags.Add(new FeatureInfo(id, flag["description"]?.Trim() ?? "", toggleable switch
            {
                null or "" => false,
                _ when bool.TryParse(toggleable, out var value) => value,
                _ => throw new ConfigurationError($"{flag.Path}:owner_toggleable", $"must be true or false, not '{toggleable}'."),
            }));
        }
        if (FeatureNames.All.FirstOrDefault(name => flags.All(f => f.Name != name)) is { } missing)
        {
            throw new ConfigurationError(Section, $"the app gates on the flag '{missing}', which is not declared there.");
        }
        return new FeatureCatalog(flags);
    }
}
