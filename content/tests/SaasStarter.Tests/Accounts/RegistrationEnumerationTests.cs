using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// The Register form must not tell a stranger which emails have accounts: a registered email gets the same answer
/// as a new one, and its owner an email saying someone tried to sign up with it. Other form errors stay errors.
/// </summary>
public abstract class RegistrationEnumerationTests(AppFactory factory)
{
    private const string AccountExistsSubject = "Someone tried to create an account with your email";
    private const string OtherPassword = "a different passphrase entirely";

    [ProviderFact]
    public async Task Registering_a_registered_email_answers_like_a_new_one_and_emails_its_owner()
    {
        var existing = AccountFlows.UniqueEmail("taken");
        var fresh = AccountFlows.UniqueEmail("fresh");
        var owner = await factory.CreateConfirmedUserAsync(existing, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        var forFresh = await AccountFlows.RegisterAsync(session, fresh, AccountFlows.GoodPassword);
        var forExisting = await AccountFlows.RegisterAsync(session, existing, OtherPassword);

        Assert.True(WebSession.IsRedirect(forExisting.StatusCode),
            $"Register with a registered email answered {(int)forExisting.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(forExisting))}");
        Assert.Equal(forFresh.StatusCode, forExisting.StatusCode);
        Assert.Equal(WithoutEmail(forFresh.Headers.Location!.ToString(), fresh), WithoutEmail(forExisting.Headers.Location!.ToString(), existing));
        var freshPage = await session.FollowAsync(forFresh);
        var existingPage = await session.FollowAsync(forExisting);
        Assert.Equal(HttpStatusCode.OK, existingPage.Status);
        Assert.Equal(WithoutEmail(freshPage.Text, fresh), WithoutEmail(existingPage.Text, existing));

        // Nothing was created or changed: one account, its own password.
        Assert.Equal(1, await UsersWithEmailAsync(existing));
        Assert.Equal(owner.Id, (await factory.FindUserAsync(existing))!.Id);
        using var signIn = factory.CreateSession();
        Assert.False(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(signIn, existing, OtherPassword)), "The attempt's password signs in");
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(signIn, existing, AccountFlows.GoodPassword)), "The owner's password no longer signs in");

        // Its owner hears about it, with the way back in.
        var emails = await EmailsToAsync(existing);
        var message = Assert.Single(emails);
        Assert.Equal(AccountExistsSubject, message.Subject);
        Assert.Contains("/Identity/Account/Login", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("/Identity/Account/ForgotPassword", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("ConfirmEmail", message.HtmlBody, StringComparison.Ordinal);
    }

    [ProviderFact]
    public async Task Registering_a_registered_email_in_other_letter_case_is_no_second_account()
    {
        var existing = AccountFlows.UniqueEmail("case");
        await factory.CreateConfirmedUserAsync(existing, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        var response = await AccountFlows.RegisterAsync(session, existing.ToUpperInvariant(), AccountFlows.GoodPassword);

        Assert.True(WebSession.IsRedirect(response.StatusCode) && response.Headers.Location!.ToString().Contains("RegisterConfirmation", StringComparison.Ordinal),
            $"Register answered {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Equal(1, await UsersWithEmailAsync(existing));
        // To the account's own address, as it was registered.
        Assert.Equal(AccountExistsSubject, (await factory.LatestEmailToAsync(existing))?.Subject);
    }

    [ProviderFact]
    public async Task Registering_an_unconfirmed_email_again_sends_a_fresh_working_link_and_keeps_the_account()
    {
        var email = AccountFlows.UniqueEmail("twice");
        using var session = factory.CreateSession();
        await AccountFlows.RegisterAsync(session, email, AccountFlows.GoodPassword);
        var first = await factory.FindUserAsync(email);

        var again = await AccountFlows.RegisterAsync(session, email, OtherPassword);

        Assert.True(WebSession.IsRedirect(again.StatusCode), $"The second registration answered {(int)again.StatusCode}");
        Assert.Equal(first!.Id, (await factory.FindUserAsync(email))!.Id);
        Assert.Equal(["Confirm your email", "Confirm your email"], (await EmailsToAsync(email)).Select(e => e.Subject));

        // The second link confirms the first account, whose password is still the first one.
        var link = AccountFlows.EmailLink((await factory.LatestEmailToAsync(email))!.HtmlBody);
        Assert.Equal(HttpStatusCode.OK, (await session.GetFollowingRedirectsAsync(link.PathAndQuery)).Status);
        var confirmed = (await factory.FindUserAsync(email))!;
        Assert.True(confirmed.EmailConfirmed);
        Assert.Equal(first.PasswordHash, confirmed.PasswordHash);
    }

    [ProviderTheory]
    [InlineData("short")]
    [InlineData("mismatch")]
    public async Task A_registered_email_with_a_bad_password_gets_the_same_form_error_as_a_new_one(string problem)
    {
        var existing = AccountFlows.UniqueEmail("taken-bad");
        var fresh = AccountFlows.UniqueEmail("fresh-bad");
        await factory.CreateConfirmedUserAsync(existing, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        var forFresh = await RegisterBadlyAsync(session, fresh, problem);
        var forExisting = await RegisterBadlyAsync(session, existing, problem);

        Assert.Equal(HttpStatusCode.OK, forExisting.Status);
        Assert.Equal(forFresh.Status, forExisting.Status);
        var errors = forExisting.Document.QuerySelectorAll(".invalid-feedback, .alert-danger").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        Assert.NotEmpty(errors);
        Assert.Equal(
            forFresh.Document.QuerySelectorAll(".invalid-feedback, .alert-danger").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0),
            errors);
        Assert.Empty(await EmailsToAsync(existing));
        Assert.Null(await factory.FindUserAsync(fresh));
    }

    [ProviderFact]
    public async Task An_external_sign_up_with_a_registered_email_answers_as_for_a_new_one_and_tells_the_owner()
    {
        var existing = AccountFlows.UniqueEmail("taken-external");
        await factory.CreateConfirmedUserAsync(existing, AccountFlows.GoodPassword);
        var (session, form) = await FakeExternalProvider.NewAccountFormAsync(factory);
        using var _ = session;

        var answered = await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Email"] = existing.ToUpperInvariant() });

        Assert.True(WebSession.IsRedirect(answered.StatusCode), $"{(int)answered.StatusCode}: {WebSession.Excerpt(await WebSession.ReadAsync(answered))}");
        Assert.Contains("RegisterConfirmation", answered.Headers.Location?.OriginalString);
        Assert.Equal(AccountExistsSubject, (await factory.LatestEmailToAsync(existing))?.Subject);
        Assert.Equal(1, await UsersWithEmailAsync(existing));
    }

    /// <summary>The text with the email (as typed or URL-encoded) blanked out, to compare two answers that differ only there.</summary>
    private static string WithoutEmail(string text, string email) =>
        text.Replace(Uri.EscapeDataString(email), "EMAIL", StringComparison.OrdinalIgnoreCase)
            .Replace(email, "EMAIL", StringComparison.OrdinalIgnoreCase);

    private static async Task<WebPage> RegisterBadlyAsync(WebSession session, string email, string problem)
    {
        var page = await session.GetAsync(AccountFlows.RegisterPath);
        var password = problem == "short" ? "too short" : AccountFlows.GoodPassword;
        var response = await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = problem == "mismatch" ? password + " but different" : password,
            ["Input.WorkspaceName"] = AccountFlows.UniqueWorkspace(),
        });
        return await WebSession.ReadAsync(response);
    }

    private Task<int> UsersWithEmailAsync(string email) =>
        factory.WithScopeAsync(sp =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var normalized = users.NormalizeEmail(email);
            return users.Users.CountAsync(u => u.NormalizedEmail == normalized);
        });

    private Task<List<OpenedEmail>> EmailsToAsync(string to) => factory.OpenedEmailsToAsync(to);

    public sealed class OnSqlite(SqliteAppFactory factory) : RegistrationEnumerationTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : RegistrationEnumerationTests(factory), IClassFixture<PostgresAppFactory>;
}
