using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Features;

/// <summary>
/// The <c>Features</c> section: <c>CacheSeconds</c> is how long an instance keeps a workspace's overrides, so how late
/// another instance sees a switch (0: never cached, every check reads the database).
/// </summary>
public sealed record FeatureCacheSettings(
    [property: Range(0, 3600, ErrorMessage = "must be a whole number of seconds from {1} to {2}.")] int CacheSeconds = 30)
{
    public const string Section = "Features";
}
