namespace SaasStarter.Tests.Infrastructure;

/// <summary>A fact that drives Debian's headless Chromium: skipped when it is not installed,
/// unless SAASSTARTER_REQUIRE_BROWSER=1 makes its absence a failure.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (TestEnvironment.BrowserSkipReason is { } reason) Skip = reason;
    }
}
