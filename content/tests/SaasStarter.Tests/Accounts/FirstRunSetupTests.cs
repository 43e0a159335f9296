using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Accounts.Setup;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Data;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// The first platform operator: through /setup with the one-time token the first run logs, or from
/// Setup:AdminEmail/Setup:AdminPassword at start-up. Each test needs an empty installation, so each
/// makes its own factory.
/// </summary>
public abstract class FirstRunSetupTests
{
    protected abstract AppFactory NewFactory();

    [ProviderFact]
    public async Task Setup_without_the_token_is_refused()
    {
        await using var factory = NewFactory();
        using var session = factory.CreateSession();

        foreach (var path in new[] { "/setup", "/setup?token=", "/setup?token=0123456789abcdef" })
        {
            AssertRefused(await session.GetAsync(path));
        }

        // The form posted with another token than the one it was opened with: refused the same way, nobody created.
        var token = factory.Services.GetRequiredService<SetupToken>().Value;
        var form = await session.GetAsync($"/setup?token={token}");
        var values = FillAccountFields(form, AccountFlows.UniqueEmail("intruder"), AccountFlows.GoodPassword);
        values["Token"] = "0123456789abcdef";
        AssertRefused(await WebSession.ReadAsync(await session.SubmitAsync(form, values)));
        Assert.False(await OperatorExistsAsync(factory));
        Assert.Equal(0, await AccountCountAsync(factory));
    }

    [ProviderFact]
    public async Task Setup_refuses_bad_input_on_the_form_and_creates_nobody()
    {
        await using var factory = NewFactory();
        var token = factory.Services.GetRequiredService<SetupToken>().Value;
        using var session = factory.CreateSession();
        var email = AccountFlows.UniqueEmail("operator");
        (string Email, string Password, string Confirmation, string? Field, string Message)[] cases =
        [
            ("", AccountFlows.GoodPassword, AccountFlows.GoodPassword, "Input.Email", "Enter the operator's email address."),
            ("not-an-email", AccountFlows.GoodPassword, AccountFlows.GoodPassword, "Input.Email", "Enter a valid email address."),
            (email, "too short", "too short", "Input.Password", "Use at least 12 characters."),
            (email, AccountFlows.GoodPassword, "something else entirely", "Input.ConfirmPassword", "The two passwords don't match."),
            (email, "password1234", "password1234", null, PasswordPolicyTests.TooCommon),
        ];

        foreach (var (address, password, confirmation, field, message) in cases)
        {
            var form = await session.GetAsync($"/setup?token={token}");
            var values = FillAccountFields(form, address, password);
            values["Input.ConfirmPassword"] = confirmation;
            var page = await WebSession.ReadAsync(await session.SubmitAsync(form, values));

            // The form again, saying what to fix, with the token still in it to try again.
            if (field is null) PasswordPolicyTests.AssertFormError(page, message);
            else PasswordPolicyTests.AssertFieldError(page, field, message);
            Assert.Equal(token, page.Document.QuerySelector("#setup-form input[name=Token]")?.GetAttribute("value"));
        }

        Assert.False(await OperatorExistsAsync(factory));
        Assert.Equal(0, await AccountCountAsync(factory));
    }

    [ProviderFact]
    public async Task Setup_answers_a_form_sent_after_it_closed_with_not_found_and_creates_nobody()
    {
        await using var factory = NewFactory();
        var token = factory.Services.GetRequiredService<SetupToken>().Value;
        using var late = factory.CreateSession();
        var lateForm = await late.GetAsync($"/setup?token={token}");
        using var first = factory.CreateSession();
        var firstForm = await first.GetAsync($"/setup?token={token}");
        var operatorEmail = AccountFlows.UniqueEmail("first");
        Assert.True(WebSession.IsRedirect((await first.SubmitAsync(firstForm, FillAccountFields(firstForm, operatorEmail, AccountFlows.GoodPassword))).StatusCode));

        var lateEmail = AccountFlows.UniqueEmail("late");
        var page = await WebSession.ReadAsync(await late.SubmitAsync(lateForm, FillAccountFields(lateForm, lateEmail, AccountFlows.GoodPassword)));

        // The app's own not-found page, as for any page that does not exist.
        Assert.True(page.Status == HttpStatusCode.NotFound, $"Answered {(int)page.Status}: {WebSession.Excerpt(page)}");
        Assert.Contains("Page not found", page.Document.Title ?? "", StringComparison.Ordinal);
        Assert.Null(await factory.FindUserAsync(lateEmail));
        Assert.Equal(operatorEmail, Assert.Single(await OperatorsAsync(factory)).Email);
    }

    /// <summary>The page's refusal: 403 with the explanation of where the link is, and no form to fill.</summary>
    private static void AssertRefused(WebPage page)
    {
        Assert.True(page.Status == HttpStatusCode.Forbidden, $"{page.Address} answered {(int)page.Status}: {WebSession.Excerpt(page)}");
        Assert.Contains("This setup link is missing or invalid.", page.Document.QuerySelector("#setup-token-invalid")?.TextContent);
        Assert.Null(page.Document.QuerySelector("#setup-form"));
    }

    [ProviderFact]
    public async Task Setup_with_the_token_creates_the_platform_operator_then_closes()
    {
        await using var factory = NewFactory();
        var token = factory.Services.GetRequiredService<SetupToken>().Value;
        var email = AccountFlows.UniqueEmail("operator");
        using var session = factory.CreateSession();

        var form = await session.GetAsync($"/setup?token={token}");
        Assert.True(form.Status == HttpStatusCode.OK, $"/setup?token=… answered {(int)form.Status}");
        var response = await session.SubmitAsync(form, FillAccountFields(form, email, AccountFlows.GoodPassword));
        var after = await session.FollowAsync(response);
        Assert.True(after.Status == HttpStatusCode.OK, $"Submitting /setup ended in {(int)after.Status}: {WebSession.Excerpt(after)}");

        var created = Assert.Single(await OperatorsAsync(factory));
        Assert.Equal(email, created.Email);
        Assert.True(created.EmailConfirmed, "The operator cannot sign in: email not confirmed");

        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync("/setup")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/setup?token={token}")).StatusCode);
    }

    [ProviderFact]
    public async Task Setup_settings_create_the_operator_at_start_up()
    {
        var email = AccountFlows.UniqueEmail("admin");
        await using var factory = NewFactory()
            .WithSetting("Setup:AdminEmail", email)
            .WithSetting("Setup:AdminPassword", AccountFlows.GoodPassword);

        var user = await factory.FindUserAsync(email);

        Assert.NotNull(user);
        Assert.True(await factory.WithScopeAsync(sp => sp.GetRequiredService<UserManager<AppUser>>().IsInRoleAsync(user, Roles.PlatformOperator)));
        using var session = factory.CreateSession();
        Assert.True(SignInTests.IsSignedIn(await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword)), "The operator cannot sign in");
        var token = factory.Services.GetRequiredService<SetupToken>().Value;
        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync($"/setup?token={token}")).StatusCode);
    }

    private static Task<IList<AppUser>> OperatorsAsync(AppFactory factory) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<UserManager<AppUser>>().GetUsersInRoleAsync(Roles.PlatformOperator));

    private static Task<int> AccountCountAsync(AppFactory factory) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<UserManager<AppUser>>().Users.CountAsync());

    private static Task<bool> OperatorExistsAsync(AppFactory factory) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<OperatorSetup>().OperatorExistsAsync());

    /// <summary>Types the email into every email field and the password into every password field of the setup form, whatever their names.</summary>
    private static Dictionary<string, string> FillAccountFields(WebPage page, string email, string password)
    {
        var values = new Dictionary<string, string>();
        foreach (var input in page.Document.QuerySelectorAll("form[method=post] input[name], form[method=POST] input[name]"))
        {
            var name = input.GetAttribute("name")!;
            var type = input.GetAttribute("type")?.ToLowerInvariant() ?? "text";
            if (type == "password" || name.Contains("Password", StringComparison.OrdinalIgnoreCase)) values[name] = password;
            else if (type == "email" || name.Contains("Email", StringComparison.OrdinalIgnoreCase)) values[name] = email;
        }
        Assert.True(values.Count >= 2, $"No email and password fields on {page.Address}: {WebSession.Excerpt(page)}");
        // The form to submit is the one holding the first of these fields.
        return values.OrderByDescending(v => v.Key.Contains("Email", StringComparison.OrdinalIgnoreCase)).ToDictionary();
    }

    public sealed class OnSqlite : FirstRunSetupTests
    {
        protected override AppFactory NewFactory() => new SqliteAppFactory();
    }

    public sealed class OnPostgres : FirstRunSetupTests, IRunsOnPostgres
    {
        protected override AppFactory NewFactory() => new PostgresAppFactory();
    }
}
