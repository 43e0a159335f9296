namespace SaasStarter.Tests.Infrastructure;

/// <summary>The environment variables that switch optional parts of the suite on, off, or to "must run".</summary>
public static class TestEnvironment
{
    public const string PostgresVariable = "SAASSTARTER_TEST_POSTGRES";
    public const string RequirePostgresVariable = "SAASSTARTER_REQUIRE_POSTGRES";
    public const string RequireBrowserVariable = "SAASSTARTER_REQUIRE_BROWSER";
    public const string ChromiumVariable = "SAASSTARTER_CHROMIUM";
    public const string ScreenshotsVariable = "SAASSTARTER_SCREENSHOTS";

    /// <summary>A connection string to a PostgreSQL server whose user may create databases, or null.</summary>
    public static string? PostgresConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    public static bool RequirePostgres => Environment.GetEnvironmentVariable(RequirePostgresVariable) == "1";

    public static bool RequireBrowser => Environment.GetEnvironmentVariable(RequireBrowserVariable) == "1";

    /// <summary>Null when PostgreSQL tests can run (or must, and will fail without a server); else why they skip.</summary>
    public static string? PostgresSkipReason =>
        PostgresConnectionString is null && !RequirePostgres
            ? $"PostgreSQL tests skipped: set {PostgresVariable} to a connection string (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres); "
              + $"{RequirePostgresVariable}=1 turns this skip into a failure."
            : null;

    /// <summary>Debian's Chromium (never a downloaded browser), or the path in SAASSTARTER_CHROMIUM.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string? BrowserSkipReason =>
        File.Exists(ChromiumPath) || RequireBrowser
            ? null
            : $"Browser tests skipped: no Chromium at {ChromiumPath} (apt-get install -y --no-install-recommends chromium, "
              + $"or set {ChromiumVariable}); {RequireBrowserVariable}=1 turns this skip into a failure.";

    public static string ScreenshotsDirectory =>
        Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
}
