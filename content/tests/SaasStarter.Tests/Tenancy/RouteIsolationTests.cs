using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Tenancy;

/// <summary>
/// Isolation at the edge, for every tenant route the app has: the routes are read from the endpoint data source
/// (<see cref="TenantRoute.DiscoverAsync"/>), so a page or endpoint added under /t/{slug} later is covered without
/// editing this file. Tenant A (a distinctive random name) is probed by a member of tenant B, by an anonymous
/// visitor, and, as the control that shows the probes can tell a refusal from an answer, by A's own member.
/// Each test tries every route and method, then reports every failure at once.
/// </summary>
public abstract class RouteIsolationTests(AppFactory factory, ITestOutputHelper output)
{
    private const string TokenField = "__RequestVerificationToken";

    [ProviderFact]
    public async Task Tenant_routes_are_discovered_from_the_endpoint_data_source()
    {
        await RoutesAsync();

        // A page that asks for a tenant permission but is routed elsewhere would get no tenant, and no check, at all.
        var strays = (await TenantRoute.PagesNeedingATenantAsync(factory.Services))
            .Where(p => !p.Template.StartsWith("/t/{slug}", StringComparison.Ordinal))
            .Select(p => $"{p.Page} is routed at {p.Template}")
            .ToList();
        Assert.True(strays.Count == 0, "Tenant pages outside /t/{slug}:\n" + string.Join("\n", strays));
    }

    [ProviderFact]
    public async Task Member_of_another_tenant_gets_404_on_every_tenant_route_and_neither_sees_nor_changes_its_data()
    {
        var routes = await RoutesAsync();
        using var a = await WorkspaceAsync("iso-a");
        using var b = await WorkspaceAsync("iso-b");
        var before = await ObjectsOfAsync(a);
        // B's own token, from B's own page: a POST that fails antiforgery would answer 400, and a 404 here must be the tenant check.
        var home = await b.Session.GetAsync($"/t/{b.Tenant.Slug}");
        Assert.True(home.Status == HttpStatusCode.OK, $"B's own workspace answered {(int)home.Status}");
        var token = TokenOf(home);
        var failures = new List<string>();

        foreach (var route in routes)
        {
            var (path, _, _) = route.PathFor(a.Tenant.Slug, before);
            foreach (var call in route.Calls)
            {
                var (response, body) = await SendAsync(b.Session, call, path, token, before);
                var what = $"{call.Method} {Describe(path, call)} as a member of B";
                if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{what}: {(int)response.StatusCode}, expected 404");
                Leaks(what, body, a, failures);
            }
        }

        // A's objects through B's own address: B's filters must not find them. What the page answers instead (a
        // message, a redirect, even an error) is its own business; showing or changing A's data is not.
        foreach (var route in routes)
        {
            var (path, _, usesObjects) = route.PathFor(b.Tenant.Slug, before);
            foreach (var call in route.Calls.Where(c => usesObjects || c.Parameters.Any(p => p.Type == typeof(Guid))))
            {
                var (response, body) = await SendAsync(b.Session, call, path, token, before);
                var what = $"{call.Method} {Describe(path, call)} (B's address, A's objects) as a member of B";
                output.WriteLine($"{what}: {(int)response.StatusCode}");
                Leaks(what, body, a, failures);
            }
        }

        Unchanged(before, await TenantObjects.ReadAsync(factory.Services, a.Tenant), failures);
        Assert.True(failures.Count == 0, Report(failures));
    }

    [ProviderFact]
    public async Task Anonymous_user_is_sent_to_sign_in_on_every_tenant_route_and_neither_sees_nor_changes_its_data()
    {
        var routes = await RoutesAsync();
        using var a = await WorkspaceAsync("iso-anon");
        var before = await ObjectsOfAsync(a);
        using var anonymous = factory.CreateSession();
        var token = TokenOf(await anonymous.GetAsync(AccountFlows.LoginPath));
        var failures = new List<string>();

        foreach (var route in routes)
        {
            var (path, _, _) = route.PathFor(a.Tenant.Slug, before);
            foreach (var call in route.Calls)
            {
                var (response, body) = await SendAsync(anonymous, call, path, token, before);
                var what = $"{call.Method} {Describe(path, call)} anonymously";
                var toSignIn = response.StatusCode == HttpStatusCode.Redirect
                    && response.Headers.Location?.OriginalString.Contains(AccountFlows.LoginPath, StringComparison.OrdinalIgnoreCase) == true;
                if (call.Method == "GET" ? !toSignIn : !(toSignIn || response.StatusCode == HttpStatusCode.BadRequest))
                {
                    failures.Add($"{what}: {(int)response.StatusCode} {response.Headers.Location}, expected 302 to {AccountFlows.LoginPath}"
                        + (call.Method == "GET" ? "" : " (or 400)"));
                }
                Leaks(what, body, a, failures);
            }
        }

        Unchanged(before, await TenantObjects.ReadAsync(factory.Services, a.Tenant), failures);
        Assert.True(failures.Count == 0, Report(failures));
    }

    /// <summary>The control: the same probes, by a member of A, are answered, so a 404 above is a refusal and not a broken probe.</summary>
    [ProviderFact]
    public async Task Member_of_the_tenant_gets_an_answer_on_every_tenant_page()
    {
        var routes = await RoutesAsync();
        using var a = await WorkspaceAsync("iso-own");
        var objects = await ObjectsOfAsync(a);
        var failures = new List<string>();
        var checkedCount = 0;
        var showsName = false;

        foreach (var route in routes)
        {
            var (path, onlyReal, _) = route.PathFor(a.Tenant.Slug, objects);
            foreach (var call in route.Calls.Where(c => c.Method == "GET"))
            {
                if (!onlyReal)
                {
                    output.WriteLine($"control not applicable to {Describe(path, call)}: no object of A fits a parameter");
                    continue;
                }
                checkedCount++;
                var (response, body) = await SendAsync(a.Session, call, path, token: null, objects);
                var status = (int)response.StatusCode;
                var toSignIn = response.Headers.Location?.OriginalString.Contains(AccountFlows.LoginPath, StringComparison.OrdinalIgnoreCase) == true;
                if (!(status == 200 || (WebSession.IsRedirect(response.StatusCode) && !toSignIn)))
                {
                    failures.Add($"GET {Describe(path, call)} as a member of A: {status} {response.Headers.Location}, expected 200 or a redirect");
                }
                showsName |= status == 200 && body.Contains(a.Tenant.Name, StringComparison.Ordinal);
            }
        }

        Assert.True(checkedCount > 0, "No tenant route could be checked with a GET by a member of A.");
        // The leak checks above look for A's name: at least one of A's pages shows it to A, so they can see it.
        Assert.True(showsName || failures.Count > 0, $"No tenant page shows A's name ({a.Tenant.Name}) to A's own member.");
        Assert.True(failures.Count == 0, Report(failures));
    }

    private sealed record Workspace(CurrentTenant Tenant, string OwnerEmail, WebSession Session) : IDisposable
    {
        public void Dispose() => Session.Dispose();
    }

    /// <summary>The app's tenant routes, printed; fails when there are none, so a broken discovery cannot pass.</summary>
    private async Task<IReadOnlyList<TenantRoute>> RoutesAsync()
    {
        var routes = await TenantRoute.DiscoverAsync(factory.Services);
        output.WriteLine($"{routes.Count} tenant route(s) discovered:");
        foreach (var route in routes) output.WriteLine("  " + route);
        Assert.True(routes.Count >= 1, "No endpoint under /t/{slug} was discovered: the discovery is broken, or the app lost its tenant pages.");
        return routes;
    }

    /// <summary>A's rows, at least its owner's membership, so the check that nothing changed cannot pass on an empty list.</summary>
    private async Task<TenantObjects> ObjectsOfAsync(Workspace a)
    {
        var objects = await TenantObjects.ReadAsync(factory.Services, a.Tenant);
        output.WriteLine($"A has {objects.Rows.Count} row(s) in {string.Join(", ", objects.Entities)}");
        Assert.NotEmpty(objects.Rows);
        return objects;
    }

    /// <summary>A workspace with a distinctive random name, created through the UI by a fresh user who belongs to nothing else.</summary>
    private async Task<Workspace> WorkspaceAsync(string label)
    {
        var email = AccountFlows.UniqueEmail(label);
        await factory.CreateConfirmedUserAsync(email, AccountFlows.GoodPassword);
        var session = factory.CreateSession();
        var signedIn = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.True(WebSession.IsRedirect(signedIn.StatusCode), $"sign-in of {email} answered {(int)signedIn.StatusCode}");

        var name = $"Quokka {Guid.NewGuid():N}";
        var slug = $"{label}-{Guid.NewGuid():N}"[..30];
        var form = await session.GetAsync("/tenants/new");
        var created = await session.SubmitAsync(form, new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Slug"] = slug }, "#new-tenant-form");
        Assert.True(WebSession.IsRedirect(created.StatusCode), $"/tenants/new answered {(int)created.StatusCode}");
        var tenant = await factory.Services.GetRequiredService<TenantDirectory>().FindAsync(slug);
        Assert.NotNull(tenant);
        // Every flag any module declares is on for it: the pages gated by one are there, so the control can reach them.
        await factory.AllFeaturesOnAsync(tenant);
        return new(tenant, email, session);
    }

    /// <summary>
    /// One call: GET as a link would; anything else as a form post carrying the anti-forgery token and, for each Guid
    /// parameter of the handler, the id of a real object of the tenant in <paramref name="objects"/> when one fits.
    /// </summary>
    private static async Task<(HttpResponseMessage Response, string Body)> SendAsync(
        WebSession session, TenantRouteCall call, string path, string? token, TenantObjects objects)
    {
        var url = call.Handler is null ? path : $"{path}?handler={Uri.EscapeDataString(call.Handler)}";
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), url);
        if (call.Method is not ("GET" or "HEAD"))
        {
            var fields = new List<KeyValuePair<string, string>>();
            if (token is not null) fields.Add(new(TokenField, token));
            foreach (var (name, type) in call.Parameters)
            {
                if (type == typeof(Guid)) fields.Add(new(name, (objects.IdFor(name, null) ?? Guid.NewGuid()).ToString()));
                else if (type.IsEnum) fields.Add(new(name, Enum.GetNames(type)[0]));
            }
            request.Content = new FormUrlEncodedContent(fields);
        }
        var response = await session.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string TokenOf(WebPage page)
    {
        var token = page.Document.QuerySelector($"input[name={TokenField}]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"No anti-forgery token on {page.Address} ({(int)page.Status})");
        return token!;
    }

    private static string Describe(string path, TenantRouteCall call) => call.Handler is null ? path : $"{path}?handler={call.Handler}";

    /// <summary>A's name, address and owner's email must appear nowhere in a response to anyone outside A.</summary>
    private static void Leaks(string what, string body, Workspace a, List<string> failures)
    {
        foreach (var (label, value) in new[] { ("name", a.Tenant.Name), ("slug", a.Tenant.Slug), ("owner's email", a.OwnerEmail) })
        {
            if (body.Contains(value, StringComparison.OrdinalIgnoreCase)) failures.Add($"{what}: the response shows A's {label} ({value})");
        }
    }

    private static void Unchanged(TenantObjects before, TenantObjects after, List<string> failures)
    {
        foreach (var row in before.Rows.Except(after.Rows)) failures.Add("A's row changed or gone: " + row);
        foreach (var row in after.Rows.Except(before.Rows)) failures.Add("A's row added or changed: " + row);
    }

    private static string Report(List<string> failures) => $"{failures.Count} failure(s):\n" + string.Join("\n", failures);

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output)
        : RouteIsolationTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output)
        : RouteIsolationTests(factory, output), IClassFixture<PostgresAppFactory>;
}
