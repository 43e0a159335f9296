using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Data;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The app in memory as it runs outside Development: the Production environment and the <c>App:PublicUrl</c> it then
/// requires, on an <see cref="AppFactory"/>'s database. The public host is not localhost, because HSTS is never sent
/// to localhost (<c>HstsOptions.ExcludedHosts</c>).
/// </summary>
public static class ProductionApp
{
    public const string PublicUrl = "https://app.example.test";

    public static readonly Uri Https = new(PublicUrl);

    public static readonly Uri Http = new("http://app.example.test");

    /// <summary>
    /// A second app on <paramref name="factory"/>'s database, in Production, with these settings on top. It is started
    /// on first use and disposed with <paramref name="factory"/>; read its database through this app, not the factory
    /// (whose own Development app would start on the same database).
    /// </summary>
    public static WebApplicationFactory<Program> InProduction(this AppFactory factory, IReadOnlyDictionary<string, string>? settings = null) =>
        factory.WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("App:PublicUrl", PublicUrl);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) web.UseSetting(key, value);
        });

    /// <summary>A client that keeps cookies and does not follow redirects, at <paramref name="baseAddress"/>.</summary>
    public static WebSession CreateSessionAt(this WebApplicationFactory<Program> app, Uri baseAddress) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = baseAddress,
        }));

    public static async Task CreateConfirmedUserAsync(this WebApplicationFactory<Program> app, string email, string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var result = await users.CreateAsync(new AppUser { UserName = email, Email = email, EmailConfirmed = true }, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    public static async Task<AppUser?> FindUserAsync(this WebApplicationFactory<Program> app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
    }
}
