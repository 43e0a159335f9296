using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Features;

/// <summary>Declares a test-only flag in configuration, at <paramref name="index"/> of feature_management:feature_flags.</summary>
internal static class FeatureSettings
{
    public static AppFactory WithFlag(this AppFactory factory, int index, string id, bool enabled, bool ownerToggleable)
    {
        var at = $"feature_management:feature_flags:{index}";
        return factory.WithSetting($"{at}:id", id)
            .WithSetting($"{at}:description", $"Test flag {id}.")
            .WithSetting($"{at}:enabled", enabled ? "true" : "false")
            .WithSetting($"{at}:owner_toggleable", ownerToggleable ? "true" : "false");
    }
}
