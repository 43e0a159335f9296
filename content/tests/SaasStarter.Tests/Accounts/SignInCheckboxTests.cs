using System.Net;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// "Keep me signed in" with a value a checkbox never sends: the sign-in form comes back with a message and the box
/// unticked (the checkbox re-rendering "abc" was a FormatException, a 500), and a real tick still works.
/// </summary>
public abstract class SignInCheckboxTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Keep_me_signed_in_that_is_not_a_bool_shows_the_form_again_with_a_message()
    {
        var email = AccountFlows.UniqueEmail("checkbox");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();

        foreach (var value in new[] { "abc", "2147483647", "" })
        {
            var form = await session.GetAsync(AccountFlows.LoginPath);
            var response = await session.SubmitAsync(form, new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = AccountFlows.GoodPassword,
                ["Input.RememberMe"] = value,
            });

            var page = await WebSession.ReadAsync(response);
            Assert.True(page.Status == HttpStatusCode.OK, $"RememberMe={value}: {(int)page.Status}: {WebSession.Excerpt(page)}");
            Assert.False(SignInTests.IsSignedIn(response), $"RememberMe={value} signed in");
            Assert.Contains("Keep me signed in: tick the box or leave it empty.", page.Text, StringComparison.Ordinal);
            var box = page.Document.QuerySelector("input[type=checkbox][name='Input.RememberMe']");
            Assert.True(box is not null && !box.HasAttribute("checked"), "The box is missing or ticked: " + box?.OuterHtml);
            Assert.Equal(email, page.Document.QuerySelector("input[name='Input.Email']")?.GetAttribute("value"));
        }
    }

    [ProviderFact]
    public async Task Keep_me_signed_in_ticked_signs_in_with_a_lasting_cookie()
    {
        var email = AccountFlows.UniqueEmail("remember");
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        using var session = factory.CreateSession();
        var form = await session.GetAsync(AccountFlows.LoginPath);

        // As a browser sends a ticked box drawn by the tag helper: "true", then its hidden "false".
        var response = await session.Client.PostAsync(AccountFlows.LoginPath, new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", form.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Email", email), new("Input.Password", AccountFlows.GoodPassword),
            new("Input.RememberMe", "true"), new("Input.RememberMe", "false"),
        ]));

        Assert.True(SignInTests.IsSignedIn(response), $"Answered {(int)response.StatusCode} {response.Headers.Location}");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".SaasStarter.Auth=", StringComparison.Ordinal));
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : SignInCheckboxTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SignInCheckboxTests(factory), IClassFixture<PostgresAppFactory>;
}
