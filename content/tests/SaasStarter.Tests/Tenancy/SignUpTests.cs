using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Tenancy;

/// <summary>Self-service sign-up: a new account comes with its first workspace, the user its Owner, all or nothing.</summary>
public abstract class SignUpTests(AppFactory factory)
{
    [ProviderFact]
    public async Task Signing_up_creates_the_user_and_a_workspace_they_own()
    {
        var email = AccountFlows.UniqueEmail("signup");
        var slug = Slug("signup");
        using var session = factory.CreateSession();

        var response = await RegisterAsync(session, email, "Acme Corp", slug);

        Assert.True(WebSession.IsRedirect(response.StatusCode), $"Register answered {(int)response.StatusCode}");
        var user = await factory.FindUserAsync(email);
        var (tenant, role) = await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var founded = await db.Tenants.SingleAsync(t => t.Slug == slug);
            var membership = await db.MembershipsOfUser(user!.Id).SingleAsync();
            return (founded, membership.TenantId == founded.Id ? membership.Role : (TenantRole?)null);
        });
        Assert.Equal("Acme Corp", tenant.Name);
        Assert.Equal(TenantRole.Owner, role);

        var confirmed = await session.GetFollowingRedirectsAsync(AccountFlows.EmailLink((await factory.LatestEmailToAsync(email))!.HtmlBody).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/t/{slug}")).Status);
    }

    [ProviderTheory]
    [InlineData("taken")]
    [InlineData("admin")]
    [InlineData("Bad Address")]
    public async Task A_taken_reserved_or_malformed_workspace_address_is_a_form_error_and_creates_nothing(string slug)
    {
        if (slug == "taken")
        {
            slug = Slug("taken");
            using var first = factory.CreateSession();
            await RegisterAsync(first, AccountFlows.UniqueEmail("first"), "First", slug);
        }
        var email = AccountFlows.UniqueEmail("second");
        using var session = factory.CreateSession();

        var response = await RegisterAsync(session, email, "Second", slug);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await WebSession.ReadAsync(response);
        Assert.NotEmpty(page.Document.QuerySelector("[data-valmsg-for='Input.WorkspaceSlug']")?.TextContent.Trim() ?? "");
        Assert.Null(await factory.FindUserAsync(email));
        Assert.Null(await factory.LatestEmailToAsync(email));
    }

    private static string Slug(string label) => $"{label}-{Guid.NewGuid():N}"[..24];

    private static async Task<HttpResponseMessage> RegisterAsync(WebSession session, string email, string workspace, string slug)
    {
        var page = await session.GetAsync(AccountFlows.RegisterPath);
        return await session.SubmitAsync(page, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AccountFlows.GoodPassword,
            ["Input.ConfirmPassword"] = AccountFlows.GoodPassword,
            ["Input.WorkspaceName"] = workspace,
            ["Input.WorkspaceSlug"] = slug,
        });
    }

    public sealed class OnSqlite(SqliteAppFactory factory) : SignUpTests(factory), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory) : SignUpTests(factory), IClassFixture<PostgresAppFactory>;
}
