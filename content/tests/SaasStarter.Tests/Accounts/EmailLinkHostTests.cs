using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>Links in emails carry secrets (reset and confirmation tokens): they must point at this app, not at whatever Host a request claims.</summary>
public sealed class EmailLinkHostTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    /// <summary>
    /// KNOWN APP BUG (security, fails until fixed): appsettings.json ships <c>"AllowedHosts": "*"</c> and every emailed
    /// link is built with <c>Url.Page(..., protocol: Request.Scheme)</c>, i.e. from the request's Host header. Anyone can
    /// ask for a reset of someone else's account with <c>Host: evil.example</c> and the victim receives a genuine email
    /// whose link hands the reset token to evil.example ("password reset poisoning").
    /// </summary>
    [Fact]
    public async Task Password_reset_email_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        var forgot = await session.GetAsync("/Identity/Account/ForgotPassword");

        session.Client.DefaultRequestHeaders.Host = "evil.example";
        var asked = await session.SubmitAsync(forgot, new Dictionary<string, string> { ["Input.Email"] = email });

        var message = await factory.LatestEmailToAsync(email);
        if (message is null)
        {
            Assert.True((int)asked.StatusCode is >= 400 and < 500, $"No email, yet the request answered {(int)asked.StatusCode}");
            return; // refused: fine
        }
        var link = AccountFlows.EmailLink(message.HtmlBody);
        Assert.NotEqual("evil.example", link.Host);
    }
}
