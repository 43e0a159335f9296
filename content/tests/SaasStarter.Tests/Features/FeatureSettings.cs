using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Features;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Features;

/// <summary>
/// A test-only flag, declared the way a module declares one (a <see cref="FeatureFlag"/> in the services), with an entry at
/// <paramref name="index"/> of feature_management:feature_flags that further settings can give rules.
/// </summary>
internal static class FeatureSettings
{
    public static AppFactory WithFlag(this AppFactory factory, int index, string id, bool enabled, bool ownerToggleable)
    {
        var at = $"feature_management:feature_flags:{index}";
        return factory
            .WithServices(services => services.AddSingleton(new FeatureFlag(id, $"Test flag {id}.", enabled, ownerToggleable)))
            .WithSetting($"{at}:id", id)
            .WithSetting($"{at}:enabled", enabled ? "true" : "false");
    }
}
