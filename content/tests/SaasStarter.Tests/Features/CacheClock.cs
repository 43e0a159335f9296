using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;

namespace SaasStarter.Tests.Features;

/// <summary>
/// The app's memory cache on a clock the test moves (or leaves still): an entry expires when the test says, however
/// long the machine takes meanwhile.
/// </summary>
internal sealed class CacheClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary><paramref name="app"/> (same settings, same database) with its memory cache on <paramref name="time"/>.</summary>
    public static WebApplicationFactory<Program> On(WebApplicationFactory<Program> app, TimeProvider time) =>
        app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.Configure<MemoryCacheOptions>(options => options.Clock = new CacheClock(time))));
}
