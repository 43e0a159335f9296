using System.Runtime.Loader;

/// <summary>
/// Named by DOTNET_STARTUP_HOOKS. The runtime loads this assembly by its path, outside the app's dependency list, so
/// neither ASP.NET Core (the hosting startup <see cref="SaasStarter.TestJobs.TestJobsStartup"/>) nor Quartz (the job
/// types it stores by name) could find it by name: this hands it over.
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
