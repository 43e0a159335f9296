using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>A wrong setting stops the process at once with one line that names it (the built dll, as a container runs it).</summary>
public sealed class ConfigurationValidationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database:Provider")]
    [InlineData("Database__MigrateOnStartup", "maybe", "Database:MigrateOnStartup")]
    [InlineData("Accounts__SessionLifetime", "-01:00:00", "Accounts:SessionLifetime")]
    [InlineData("Email__Smtp__Host", "smtp.example.com", "Email:Smtp:From")]
    [InlineData("Setup__AdminEmail", "admin@example.com", "Setup:AdminPassword")]
    [InlineData("App__PublicUrl", "", "App:PublicUrl")]
    [InlineData("App__PublicUrl", "app.example.com", "App:PublicUrl")]
    [InlineData("App__PublicUrl", "https://example.com/app", "App:PublicUrl")]
    [InlineData("Tenancy__Mode", "Subdomain", "Tenancy:Mode")]
    [InlineData("Tenancy__Mode", "Host", "Tenancy:BaseDomain")]
    [InlineData("Jobs__Enabled", "sometimes", "Jobs:Enabled")]
    [InlineData("Jobs__Retry__MaxAttempts", "-1", "Jobs:Retry:MaxAttempts")]
    [InlineData("Jobs__Cluster__CheckinSeconds", "0", "Jobs:Cluster:CheckinSeconds")]
    // Forwarding with no proxy named would believe any client's X-Forwarded-For.
    [InlineData("ForwardedHeaders__Enabled", "true", "ForwardedHeaders:KnownProxies: neither it nor ForwardedHeaders:KnownNetworks")]
    [InlineData("ForwardedHeaders__KnownProxies__0", "proxy.internal", "ForwardedHeaders:KnownProxies")]
    [InlineData("ForwardedHeaders__KnownNetworks__0", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks")]
    public async Task Invalid_setting_stops_start_up_with_one_line_naming_it(string variable, string value, string setting)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("saasstarter-test-");
        try
        {
            // A valid SQLite set-up (whatever the template variant's appsettings say), then the one bad value.
            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Default"] = "",
                ["Database__DataDirectory"] = dataDirectory.FullName,
                [variable] = value,
            };
            var result = await AppProcess.RunAsync([], environment, Patience);

            AssertStoppedNaming(result, setting);
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_without_connection_string_stops_start_up_naming_the_setting()
    {
        var result = await AppProcess.RunAsync([], new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = "",
        }, Patience);

        AssertStoppedNaming(result, "ConnectionStrings:Default");
    }

    private static void AssertStoppedNaming(ProcessResult result, string setting)
    {
        Assert.False(result.TimedOut, $"Still running after {Patience.TotalSeconds} s: {result}");
        Assert.True(result.ExitCode != 0, $"Exited 0: {result}");
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains(setting, line);
    }
}
