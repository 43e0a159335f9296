using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Api;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Tenancy;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The app in memory, on a database of its own: each factory (one per test class through
/// <c>IClassFixture</c>, or one per test where a test needs an empty installation) starts on a fresh,
/// migrated database and removes it when disposed.
/// </summary>
public abstract class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> extraSettings = new(StringComparer.OrdinalIgnoreCase);

    private readonly List<Action<IServiceCollection>> extraServices = [];

    public abstract string ProviderName { get; }

    /// <summary>Adds test-only services (e.g. a job); call before the first request or <see cref="WebApplicationFactory{T}.Services"/>.</summary>
    public AppFactory WithServices(Action<IServiceCollection> services)
    {
        extraServices.Add(services);
        return this;
    }

    /// <summary>Adds a test-only EF Core interceptor to the app's context; call before the first request or <see cref="WebApplicationFactory{T}.Services"/>.</summary>
    public AppFactory WithInterceptor(IInterceptor interceptor) => WithServices(services => AddInterceptor(services, interceptor));

    /// <summary>Adds <paramref name="interceptor"/> to the context of this factory's provider, in <paramref name="services"/> of some app of it.</summary>
    public void AddInterceptor(IServiceCollection services, IInterceptor interceptor)
    {
        if (ProviderName == "Postgres") services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(interceptor));
        else services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(interceptor));
    }

    /// <summary>Adds a setting (e.g. <c>Setup:AdminEmail</c>); call before the first request or <see cref="WebApplicationFactory{T}.Services"/>.</summary>
    public AppFactory WithSetting(string key, string? value)
    {
        extraSettings[key] = value;
        return this;
    }

    /// <summary>The settings that point the app at this factory's database.</summary>
    protected abstract IReadOnlyDictionary<string, string?> DatabaseSettings();

    /// <summary>This factory's settings as environment variables, to run the built app as a process on the same database.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables() =>
        Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value ?? "");

    /// <summary>The database settings, overridden by any <see cref="WithSetting"/>.</summary>
    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(DatabaseSettings(), StringComparer.OrdinalIgnoreCase)
        {
            // Emails go to the dev outbox, where tests read them, even if the machine's environment names an SMTP server.
            ["Email:Smtp:Host"] = "",
        };
        foreach (var (key, value) in extraSettings) settings[key] = value;
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            foreach (var add in extraServices) add(services);
        });
    }

    private WebApplicationFactory<Program>? withEchoApi;

    /// <summary>
    /// The same app (same database) plus the test-only <see cref="EchoApi"/> module, added through the app's own
    /// extension point. Started once per factory; disposed with it.
    /// </summary>
    public WebApplicationFactory<Program> WithEchoApi() =>
        withEchoApi ??= WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddTestApi(EchoApi.Map)));

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each step.</summary>
    public WebSession CreateSession(Uri? baseAddress = null) =>
        new(CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = baseAddress ?? new Uri("http://localhost"),
        }));

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>A session signed in as <paramref name="email"/> (password <see cref="AccountFlows.GoodPassword"/>).</summary>
    public async Task<WebSession> SignedInSessionAsync(string email)
    {
        var session = CreateSession();
        var signedIn = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Xunit.Assert.True(WebSession.IsRedirect(signedIn.StatusCode), $"sign-in of {email} answered {(int)signedIn.StatusCode}");
        return session;
    }

    /// <summary>A unit of work acting for <paramref name="tenant"/> (and, if given, a member's role), as a request to /t/{slug} would.</summary>
    public Task<T> InTenantAsync<T>(CurrentTenant tenant, Func<AppDbContext, Task<T>> action, TenantRole? role = null) =>
        WithScopeAsync(sp =>
        {
            sp.GetRequiredService<TenantContext>().Enter(tenant, role);
            return action(sp.GetRequiredService<AppDbContext>());
        });

    public Task<AppUser?> FindUserAsync(string email) =>
        WithScopeAsync(sp => sp.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email));

    /// <summary>
    /// The newest email sent to <paramref name="to"/>, from the dev outbox the app writes when no SMTP server is set, its
    /// body opened with the app's keys.
    /// </summary>
    public async Task<OpenedEmail?> LatestEmailToAsync(string to) =>
        (await this.OutboxEmailsToAsync(to)).LastOrDefault() is { } latest ? new OpenedEmail(latest, this.BodyOf(latest)) : null;

    /// <summary>An account that can sign in at once (email confirmed), created through the app's own UserManager and validators.</summary>
    public Task<AppUser> CreateConfirmedUserAsync(string email, string password) =>
        WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
            var result = await users.CreateAsync(user, password);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
            return user;
        });

    /// <summary>Every permission an API key may carry, as the modules declared them.</summary>
    public IReadOnlyList<string> ApiScopes => Services.GetRequiredService<PermissionCatalog>().ApiScopes;

    /// <summary>Every feature flag the modules declared.</summary>
    public IReadOnlyList<string> FeatureFlags => [.. Services.GetRequiredService<FeatureCatalog>().All.Select(f => f.Name)];

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
