using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

public sealed class SecurityHeadersTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/api/v1/")]
    [InlineData("/api/v1/nope")]
    [InlineData("/health/live")]
    [InlineData("/scalar")]
    public async Task Responses_carry_a_strict_content_security_policy_and_nosniff(string path)
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(path);

        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), $"{path}: no Content-Security-Policy");
        var policy = string.Join(";", values!);
        Assert.Contains("object-src 'none'", policy);
        Assert.Contains("base-uri 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("*", policy);

        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff), $"{path}: no X-Content-Type-Options");
        Assert.Equal("nosniff", Assert.Single(sniff!));
    }

    [Fact]
    public async Task Pages_allow_no_inline_script()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/Identity/Account/Login");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var scriptSrc = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("'unsafe-inline'", scriptSrc);
        Assert.DoesNotContain("'unsafe-eval'", scriptSrc);
    }
}
