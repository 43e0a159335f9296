namespace SaasStarter.Tests.Infrastructure;

/// <summary>A fact that needs PostgreSQL: skipped (saying why) unless SAASSTARTER_TEST_POSTGRES is set
/// or SAASSTARTER_REQUIRE_POSTGRES=1 makes it run, and fail, without a server.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestEnvironment.PostgresSkipReason is { } reason) Skip = reason;
    }
}
