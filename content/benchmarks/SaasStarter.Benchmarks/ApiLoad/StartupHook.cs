using System.Runtime.Loader;

/// <summary>
/// Named by DOTNET_STARTUP_HOOKS when the api-load run starts the published app, and only then. The runtime loads this
/// assembly by its path, outside the app's dependency list, so ASP.NET Core could not find it by name as the hosting
/// startup (ASPNETCORE_HOSTINGSTARTUPASSEMBLIES) that adds <see cref="SaasStarter.Benchmarks.ApiLoad.BareEndpoint"/>:
/// this hands it over. The published app itself is not changed or rebuilt.
/// </summary>
#pragma warning disable CA1050 // the runtime looks for a type named StartupHook in no namespace
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        var self = typeof(StartupHook).Assembly;
        var name = self.GetName().Name;
        AssemblyLoadContext.Default.Resolving += (_, wanted) => wanted.Name == name ? self : null;
    }
}
