using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SaasStarter.Benchmarks;

/// <summary>
/// The real app in memory (ASP.NET Core's test server), in Production mode, on a fresh database: started, migrated
/// and seeded once per process by the first benchmark's GlobalSetup, then shared by every benchmark case (they all
/// run in this process) and removed, database and all, when the run ends.
/// </summary>
public sealed partial class BenchApp : WebApplicationFactory<Program>
{
    private static readonly Lazy<Task<BenchApp>> Shared = new(StartAsync);

    private readonly BenchDatabase database;

    private BenchApp(BenchDatabase database) => this.database = database;

    /// <summary>"SQLite" or "PostgreSQL 15.x", as the report names it.</summary>
    public string DatabaseDescription => database.Description;

    public SqlCommandCounter Sql { get; } = new();

    public TimeSpan StartAndMigrate { get; private set; }

    public BenchSeed.Summary Seed { get; private set; } = null!;

    /// <summary>Signed in (cookie) as the owner of the big workspace; keeps cookies, follows no redirects.</summary>
    public HttpClient Owner { get; private set; } = null!;

    public static Task<BenchApp> SharedAsync() => Shared.Value;

    /// <summary>The shared app if it started; null when no benchmark ran.</summary>
    public static BenchApp? Started => Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully ? Shared.Value.Result : null;

    public static async Task DisposeSharedAsync()
    {
        if (Started is { } app) await app.DisposeAsync();
    }

    private static async Task<BenchApp> StartAsync()
    {
        var database = await BenchDatabase.CreateAsync();
        var app = new BenchApp(database);
        try
        {
            var clock = Stopwatch.StartNew();
            _ = app.Services; // starts the host: migrations run at start-up
            app.StartAndMigrate = clock.Elapsed;
            app.Seed = await BenchSeed.RunAsync(app.Services);
            await database.SettleAsync();
            Console.WriteLine($"// {app.DatabaseDescription}: app started and migrated in {app.StartAndMigrate.TotalSeconds:0.0} s; {app.Seed}");
            app.Owner = await app.SignInAsync(BenchSeed.OwnerEmail, BenchSeed.Password);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseContentRoot(AppContentRoot());
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["App:PublicUrl"] = "https://localhost",
            // No SMTP delivery service in the background, whatever the machine's environment says.
            ["Email:Smtp:Host"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
            // Start-up notes that say nothing about the pages: the keys' storage, and the operator not yet set up.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            ["Logging:LogLevel:SaasStarter.Setup"] = "Error",
        };
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    /// <summary>
    /// The app's project folder (appsettings.json, wwwroot), from the manifest Microsoft.AspNetCore.Mvc.Testing writes
    /// beside this program; the factory itself looks for it in the current directory only, which `dotnet run` leaves
    /// wherever it was started.
    /// </summary>
    internal static string AppContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        var app = typeof(Program).Assembly.GetName().FullName!;
        return roots.TryGetValue(app, out var root)
            ? root
            : throw new InvalidOperationException($"{manifest} does not name the content root of {app}.");
    }

    /// <summary>Signs in through the real sign-in form, as a browser would (anti-forgery token included).</summary>
    private async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            // HTTPS, as in production: the app redirects plain HTTP there.
            BaseAddress = new Uri("https://localhost"),
        });
        const string loginPath = "/Identity/Account/Login";
        var form = await client.GetStringAsync(new Uri(loginPath, UriKind.Relative));
        var token = AntiforgeryField().Match(form) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups["token"].Value)
            : throw new InvalidOperationException($"No anti-forgery token on {loginPath}.");
        using var response = await client.PostAsync(new Uri(loginPath, UriKind.Relative), new FormUrlEncodedContent(
        [
            new("Input.Email", email),
            new("Input.Password", password),
            new("__RequestVerificationToken", token),
        ]));
        return response.StatusCode == HttpStatusCode.Redirect
            ? client
            : throw new InvalidOperationException($"Signing in {email} answered {(int)response.StatusCode}, not a redirect.");
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="(?<token>[^"]+)""")]
    private static partial Regex AntiforgeryField();

    public override async ValueTask DisposeAsync()
    {
        Owner?.Dispose();
        Sql.Dispose();
        await base.DisposeAsync();
        await database.DisposeAsync();
    }
}
