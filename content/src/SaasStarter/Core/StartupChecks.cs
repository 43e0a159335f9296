namespace SaasStarter.Core;

/// <summary>
/// Singletons whose construction checks what modules declared and the settings that refer to it (a plan naming a flag,
/// a limit no module declares). They can only be built once every module is registered, so they are built lazily; the
/// app builds each once, right after <c>Build()</c> (<see cref="CheckStartup"/>), so a mistake stops start-up with one line
/// (<see cref="ConfigurationError"/>) rather than failing the first request that needs it.
/// </summary>
public static class StartupChecks
{
    private sealed record Check(Type Service);

    public static IServiceCollection AddCheckedSingleton<T>(this IServiceCollection services) where T : class
    {
        services.AddSingleton<T>();
        services.AddSingleton(new Check(typeof(T)));
        return services;
    }

    public static IServiceCollection AddCheckedSingleton<T>(this IServiceCollection services, Func<IServiceProvider, T> create) where T : class
    {
        services.AddSingleton(create);
        services.AddSingleton(new Check(typeof(T)));
        return services;
    }

    /// <summary>Builds every checked singleton now.</summary>
    public static WebApplication CheckStartup(this WebApplication app)
    {
        foreach (var check in app.Services.GetServices<Check>()) app.Services.GetRequiredService(check.Service);
        return app;
    }
}
