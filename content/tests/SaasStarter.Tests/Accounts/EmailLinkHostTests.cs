using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Data;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// Links in emails carry secrets (reset and confirmation tokens): they must point at this app (<c>App:PublicUrl</c>,
/// in these tests the in-memory server's http://localhost), not at whatever Host a request claims. appsettings.json
/// ships <c>"AllowedHosts": "*"</c>, so a request with <c>Host: evil.example</c> reaches the pages; were a link built
/// from it, the victim would receive a genuine email handing the token to evil.example ("password reset poisoning").
/// Every page that emails a link is covered here, each through its form with a forged Host.
/// </summary>
public sealed class EmailLinkHostTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    private const string ForgedHost = "evil.example";

    [Fact]
    public async Task Password_reset_email_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        var forgot = await session.GetAsync("/Identity/Account/ForgotPassword");

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var asked = await session.SubmitAsync(forgot, new Dictionary<string, string> { ["Input.Email"] = email });
        Assert.True(WebSession.IsRedirect(asked.StatusCode) && asked.Headers.Location!.OriginalString.Contains("ForgotPasswordConfirmation", StringComparison.Ordinal),
            $"Forgot password answered {(int)asked.StatusCode} {asked.Headers.Location}");

        var link = await SingleAppLinkAsync(email, "Reset your password");
        Assert.StartsWith("/Identity/Account/ResetPassword", link.AbsolutePath, StringComparison.Ordinal);
        await OpenAsync(session, link);
    }

    [Fact]
    public async Task Registration_confirmation_email_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host-register");
        using var session = factory.CreateSession();
        var register = await session.GetAsync(AccountFlows.RegisterPath);

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var registered = await session.SubmitAsync(register, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AccountFlows.GoodPassword,
            ["Input.ConfirmPassword"] = AccountFlows.GoodPassword,
            ["Input.WorkspaceName"] = AccountFlows.UniqueWorkspace(),
        });
        Assert.True(WebSession.IsRedirect(registered.StatusCode), $"Register answered {(int)registered.StatusCode}");

        var link = await SingleAppLinkAsync(email, "Confirm your email");
        await OpenAsync(session, link);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The confirmation link did not confirm the account");
    }

    [Fact]
    public async Task Registration_confirmation_page_shows_no_link_to_a_forged_Host()
    {
        var email = AccountFlows.UniqueEmail("host-check");
        using var session = factory.CreateSession();
        session.Client.DefaultRequestHeaders.Host = ForgedHost;

        var page = await session.GetAsync("/Identity/Account/RegisterConfirmation?email=" + Uri.EscapeDataString(email));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.DoesNotContain(ForgedHost, page.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Account_exists_email_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host-exists");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        var register = await session.GetAsync(AccountFlows.RegisterPath);

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var registered = await session.SubmitAsync(register, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AccountFlows.GoodPassword,
            ["Input.ConfirmPassword"] = AccountFlows.GoodPassword,
            ["Input.WorkspaceName"] = AccountFlows.UniqueWorkspace(),
        });
        Assert.True(WebSession.IsRedirect(registered.StatusCode), $"Register answered {(int)registered.StatusCode}");

        var message = await factory.LatestEmailToAsync(email);
        Assert.NotNull(message);
        var links = AppLinks(message.HtmlBody);
        Assert.Equal(2, links.Count);
        Assert.All(links, link => Assert.Equal("localhost", link.Host));
    }

    [Fact]
    public async Task Resent_confirmation_email_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host-resend");
        using (var registration = factory.CreateSession())
        {
            await AccountFlows.RegisterAsync(registration, email, AccountFlows.GoodPassword);
        }
        using var session = factory.CreateSession();
        var resend = await session.GetAsync("/Identity/Account/ResendEmailConfirmation");
        Assert.Equal(HttpStatusCode.OK, resend.Status);

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var sent = await WebSession.ReadAsync(await session.SubmitAsync(resend, new Dictionary<string, string> { ["Input.Email"] = email }));
        Assert.Contains("Verification email sent", sent.Text, StringComparison.Ordinal);

        var link = await SingleAppLinkAsync(email, "Confirm your email");
        await OpenAsync(session, link);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The resent link did not confirm the account");
    }

    [Fact]
    public async Task Resending_to_an_unknown_email_answers_the_same_and_sends_nothing()
    {
        var email = AccountFlows.UniqueEmail("nobody");
        using var session = factory.CreateSession();
        var resend = await session.GetAsync("/Identity/Account/ResendEmailConfirmation");

        var sent = await WebSession.ReadAsync(await session.SubmitAsync(resend, new Dictionary<string, string> { ["Input.Email"] = email }));

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Contains("Verification email sent", sent.Text, StringComparison.Ordinal);
        Assert.Null(await factory.LatestEmailToAsync(email));
    }

    [Fact]
    public async Task Change_email_confirmation_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host-change");
        var newEmail = AccountFlows.UniqueEmail("host-changed");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));
        var settings = await session.GetAsync("/Identity/Account/Manage/Email");
        Assert.Equal(HttpStatusCode.OK, settings.Status);

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var asked = await session.SubmitAsync(settings, new Dictionary<string, string> { ["Input.NewEmail"] = newEmail }, "#change-email-form");
        Assert.True(WebSession.IsRedirect(asked.StatusCode),
            $"Change email answered {(int)asked.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(asked))}");
        Assert.Null(await factory.LatestEmailToAsync(email));

        var link = await SingleAppLinkAsync(newEmail, "Confirm your new email");
        Assert.NotNull(await factory.FindUserAsync(email)); // unchanged until the link is opened
        await OpenAsync(session, link);
        Assert.Null(await factory.FindUserAsync(email));
        Assert.NotNull(await factory.FindUserAsync(newEmail));
    }

    [Fact]
    public async Task Verification_email_from_account_settings_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host-verify");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)));
        // Signed in, then the address stops counting as confirmed (as after an import): settings offer to verify it.
        await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            user.EmailConfirmed = false;
            return await users.UpdateAsync(user);
        });
        var settings = await session.GetAsync("/Identity/Account/Manage/Email");
        Assert.Equal(HttpStatusCode.OK, settings.Status);

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var asked = await session.SubmitAsync(settings, new Dictionary<string, string>(), "#send-verification-form");
        Assert.True(WebSession.IsRedirect(asked.StatusCode), $"Send verification email answered {(int)asked.StatusCode}");

        var link = await SingleAppLinkAsync(email, "Confirm your email");
        await OpenAsync(session, link);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The verification link did not confirm the email");
    }

    [Fact]
    public async Task External_login_confirmation_email_ignores_a_forged_Host_header()
    {
        var email = AccountFlows.UniqueEmail("host-external");
        var (session, newAccount) = await FakeExternalProvider.NewAccountFormAsync(factory);
        using var _ = session;

        session.Client.DefaultRequestHeaders.Host = ForgedHost;
        var created = await session.SubmitAsync(newAccount, new Dictionary<string, string> { ["Input.Email"] = email });
        Assert.True(WebSession.IsRedirect(created.StatusCode),
            $"Creating the account answered {(int)created.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(created))}");

        var link = await SingleAppLinkAsync(email, "Confirm your email");
        await OpenAsync(session, link);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed, "The confirmation link did not confirm the account");
    }

    /// <summary>The one link of the newest email to <paramref name="to"/>, which must have this subject and point at the app.</summary>
    private async Task<Uri> SingleAppLinkAsync(string to, string subject)
    {
        var message = await factory.LatestEmailToAsync(to);
        Assert.True(message is not null, $"No email to {to}");
        Assert.Equal(subject, message.Subject);
        var link = Assert.Single(AppLinks(message.HtmlBody));
        Assert.Equal("localhost", link.Host);
        return link;
    }

    /// <summary>Every link of an email; each must be absolute (a mail client has no page to resolve a relative one against).</summary>
    private static List<Uri> AppLinks(string htmlBody)
    {
        var hrefs = new HtmlParser().ParseDocument(htmlBody).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
        Assert.NotEmpty(hrefs);
        return hrefs.Select(href =>
        {
            Assert.True(Uri.TryCreate(href, UriKind.Absolute, out var uri), $"Not an absolute link: {href}");
            Assert.NotEqual(ForgedHost, uri.Host);
            return uri;
        }).ToList();
    }

    /// <summary>Opens an emailed link as its recipient would: on the app's real host, following redirects.</summary>
    private static async Task OpenAsync(WebSession session, Uri link)
    {
        session.Client.DefaultRequestHeaders.Host = null;
        var page = await session.GetFollowingRedirectsAsync(link.PathAndQuery);
        Assert.True(page.Status == HttpStatusCode.OK, $"{link.AbsolutePath} answered {(int)page.Status}: {WebSession.Excerpt(page)}");
    }
}
