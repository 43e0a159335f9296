using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Email;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// The links Identity emails (confirm the account, confirm a new address, reset the password) and the form that sends
/// one, with what a link becomes when it is cut short, mangled or made up: every such link is the same invalid-link page
/// with a 400 and a way on, never a 500, and it changes nothing; the forgot-password form tells no one which emails have
/// accounts.
/// </summary>
public abstract class EmailLinkTests(AppFactory factory)
{
    private const string ConfirmPath = "/Identity/Account/ConfirmEmail";
    private const string ConfirmChangePath = "/Identity/Account/ConfirmEmailChange";
    private const string ResetPath = "/Identity/Account/ResetPassword";
    private const string ForgotPath = "/Identity/Account/ForgotPassword";

    /// <summary>Base64url of a token Identity never issued: decodes, and is refused as a token.</summary>
    private static readonly string WrongToken = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("CfDJ8-not-a-real-token"));

    [ProviderFact]
    public async Task A_confirmation_link_that_does_not_work_is_the_invalid_link_page_and_confirms_nothing()
    {
        var email = AccountFlows.UniqueEmail("unconfirmed");
        var userId = await UnconfirmedUserAsync(email);
        using var session = factory.CreateSession();

        foreach (var (label, query) in new[]
                 {
                     ("a user id that is not a GUID", $"userId=x&code={WrongToken}"),
                     ("a code that is not Base64", $"userId={userId}&code=%3C%3E"),
                     ("a code of the wrong length", $"userId={userId}&code=a"),
                     ("a token Identity never issued", $"userId={userId}&code={WrongToken}"),
                     ("an unknown user", $"userId={Guid.NewGuid()}&code={WrongToken}"),
                     ("no code", $"userId={userId}"),
                     ("nothing", ""),
                 })
        {
            var page = await session.GetAsync($"{ConfirmPath}?{query}");
            AssertInvalidLinkPage(page, label, "/Identity/Account/ResendEmailConfirmation");
        }
        Assert.False((await factory.FindUserAsync(email))!.EmailConfirmed, "A broken link confirmed the account");
    }

    [ProviderFact]
    public async Task The_confirmation_link_from_the_email_confirms_and_offers_to_sign_in()
    {
        var email = AccountFlows.UniqueEmail("confirms");
        using var session = factory.CreateSession();
        await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);
        var link = AccountFlows.EmailLink((await factory.LatestEmailToAsync(email))!.HtmlBody);

        var page = await session.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("#email-confirmed"));
        Assert.StartsWith(AccountFlows.LoginPath, page.Document.QuerySelector("#confirmed-sign-in")?.GetAttribute("href"), StringComparison.Ordinal);
        Assert.True((await factory.FindUserAsync(email))!.EmailConfirmed);
    }

    [ProviderFact]
    public async Task An_email_change_link_that_does_not_work_is_the_invalid_link_page_and_changes_nothing()
    {
        var email = AccountFlows.UniqueEmail("keeps");
        var user = await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        var other = Uri.EscapeDataString(AccountFlows.UniqueEmail("wanted"));
        using var session = factory.CreateSession();

        foreach (var (label, query) in new[]
                 {
                     ("a user id that is not a GUID", $"userId=x&email={other}&code={WrongToken}"),
                     ("a code that is not Base64", $"userId={user.Id}&email={other}&code=%3C%3E"),
                     ("a token Identity never issued", $"userId={user.Id}&email={other}&code={WrongToken}"),
                     ("no email", $"userId={user.Id}&code={WrongToken}"),
                 })
        {
            var page = await session.GetAsync($"{ConfirmChangePath}?{query}");
            AssertInvalidLinkPage(page, label, "/Identity/Account/Manage/Email");
        }
        Assert.Equal(email, (await factory.FindUserAsync(email))?.UserName);
    }

    [ProviderFact]
    public async Task The_email_change_link_changes_the_email_and_the_user_name()
    {
        var email = AccountFlows.UniqueEmail("old");
        var newEmail = AccountFlows.UniqueEmail("new");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = await factory.SignedInSessionAsync(email);
        var settings = await session.GetAsync("/Identity/Account/Manage/Email");
        var asked = await session.SubmitAsync(settings, new Dictionary<string, string> { ["Input.NewEmail"] = newEmail });
        Assert.True(WebSession.IsRedirect(asked.StatusCode), $"Asking for the change answered {(int)asked.StatusCode}");

        var link = AccountFlows.EmailLink((await factory.LatestEmailToAsync(newEmail))!.HtmlBody);
        var page = await session.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(newEmail, page.Document.QuerySelector("#email-changed")?.TextContent, StringComparison.Ordinal);
        var user = await factory.FindUserAsync(newEmail);
        Assert.Equal(newEmail, user?.UserName);
        using var again = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(again, newEmail, AccountFlows.GoodPassword)), "The new email does not sign in");
    }

    [ProviderFact]
    public async Task A_reset_link_whose_code_is_not_Base64_is_the_invalid_link_page()
    {
        using var session = factory.CreateSession();
        foreach (var code in new[] { "%3C%3E", "a", "" })
        {
            AssertInvalidLinkPage(await session.GetAsync($"{ResetPath}?code={code}"), $"code={code}", ForgotPath);
        }
    }

    [ProviderFact]
    public async Task A_reset_with_a_token_Identity_never_issued_is_refused_and_the_password_stays()
    {
        var email = AccountFlows.UniqueEmail("reset-wrong");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        var form = await session.GetAsync($"{ResetPath}?code={WrongToken}");
        Assert.Equal(HttpStatusCode.OK, form.Status);

        var response = await session.SubmitAsync(form, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "a brand new passphrase",
            ["Input.ConfirmPassword"] = "a brand new passphrase",
        });

        var page = await WebSession.ReadAsync(response);
        Assert.True(page.Status == HttpStatusCode.OK, $"Answered {(int)page.Status}: {WebSession.Excerpt(page)}");
        Assert.Contains("This link has expired or was already used. Request a new one.", page.Text, StringComparison.Ordinal);
        using var signIn = factory.CreateSession();
        Assert.False(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(signIn, email, "a brand new passphrase")), "The refused reset changed the password");
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(signIn, email, AccountFlows.GoodPassword)), "The old password stopped working");
    }

    [ProviderFact]
    public async Task Forgot_password_answers_an_unknown_email_as_a_known_one_and_emails_only_the_known()
    {
        var known = AccountFlows.UniqueEmail("known");
        var unknown = AccountFlows.UniqueEmail("unknown");
        await factory.CreateConfirmedUserAsync(known, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        var forKnown = await AskForResetAsync(session, known);
        var forUnknown = await AskForResetAsync(session, unknown);

        Assert.Equal(HttpStatusCode.Redirect, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(forKnown.Headers.Location, forUnknown.Headers.Location);
        Assert.Equal((await session.FollowAsync(forKnown)).Text, (await session.FollowAsync(forUnknown)).Text);
        Assert.Equal(1, await EmailsToAsync(known));
        Assert.Equal(0, await EmailsToAsync(unknown));
    }

    private static async Task<HttpResponseMessage> AskForResetAsync(WebSession session, string email)
    {
        var form = await session.GetAsync(ForgotPath);
        return await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Email"] = email });
    }

    /// <summary>The invalid-link page: a 400, what happened, the page that sends a new link and a way to sign in.</summary>
    private static void AssertInvalidLinkPage(WebPage page, string label, string newLinkPage)
    {
        Assert.True(page.Status == HttpStatusCode.BadRequest, $"With {label}: {(int)page.Status}, expected 400: {WebSession.Excerpt(page)}");
        Assert.Contains("This link is invalid or has expired", page.Text, StringComparison.Ordinal);
        Assert.Equal(newLinkPage, page.Document.QuerySelector("#new-link")?.GetAttribute("href"));
        Assert.Equal(AccountFlows.LoginPath, page.Document.QuerySelector("#invalid-link-sign-in")?.GetAttribute("href"));
    }

    /// <summary>An account that registered and never confirmed (created as Register does, without its email).</summary>
    private Task<Guid> UnconfirmedUserAsync(string email) =>
        factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            var user = new AppUser { UserName = email, Email = email };
            Assert.True((await users.CreateAsync(user, AccountFlows.GoodPassword)).Succeeded);
            return user.Id;
        });

    private Task<int> EmailsToAsync(string to) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().OutboxEmails.CountAsync(e => e.To == to));

    public sealed class OnSqlite(SqliteAppFactory factory) : EmailLinkTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : EmailLinkTests(factory), IClassFixture<PostgresAppFactory>;
}
