using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Api;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Operator;
using SaasStarter.Tests.Tenancy;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Hostile input on every Razor Page handler the app routes (Identity's area, /t/{slug} and /admin included), read from the
/// endpoint data source so a page added later is swept too. Each page is called as the visitor it is for (anonymous, a
/// workspace's owner, the platform operator) with a valid anti-forgery token, so the handler runs, and with one bad value
/// at a time in each query field, form field and route segment: overlong, NUL and control characters, non-ASCII, invalid
/// UTF-8, off-site and unsendable return URLs, malformed numbers, bools, dates and GUIDs, bad Base64, duplicated keys, an
/// unknown handler, junk headers and bodies. No answer may be a 5xx, redirect off the site, carry a header Kestrel cannot
/// send (non-ASCII or control characters: a 500 there), or echo a script unencoded. Every failure is reported at once.
/// </summary>
public abstract partial class PageSweepTests(KestrelApp app, ITestOutputHelper output)
{
    private const string TokenField = "__RequestVerificationToken";

    private AppFactory Factory => app.Started;

    [ProviderFact]
    public async Task Every_page_handler_answers_hostile_input_without_a_server_error()
    {
        var routes = await PageRoute.DiscoverAsync(Factory.Services);
        output.WriteLine($"{routes.Count} page(s):");
        foreach (var route in routes) output.WriteLine("  " + route);
        // Floors per kind, so a discovery that lost an area (or everything) fails rather than sweeping nothing.
        Assert.True(routes.Count >= 45, $"only {routes.Count} pages discovered");
        Assert.True(routes.Count(r => r.Page.StartsWith("Identity:", StringComparison.Ordinal)) >= 20, "Identity's pages are missing");
        Assert.True(routes.Count(r => r.Template.StartsWith("/t/{", StringComparison.Ordinal)) >= 10, "the tenant pages are missing");
        Assert.True(routes.Count(r => r.Template.StartsWith("/admin", StringComparison.Ordinal)) >= 3, "the operator pages are missing");

        var world = await SweepWorld.CreateAsync(app);
        var sweep = new Sweep(output, Factory.ClientOptions.BaseAddress);
        foreach (var route in routes)
        {
            var visitor = world.VisitorFor(route);
            var slug = await world.CurrentSlugAsync();
            var path = Fill(route.Pattern, world, slug, bad: null);
            var token = await TokenAsync(visitor, route);
            var before = sweep.Sent;

            // The control: the page itself answers its visitor (not a sign-in page), so the probes reach its handlers.
            var control = await sweep.SendAsync(visitor, "control", HttpMethod.Get, path, body: null);
            if (route.NeedsSignIn && control?.Headers.Location?.OriginalString.Contains(AccountFlows.LoginPath, StringComparison.OrdinalIgnoreCase) == true)
            {
                sweep.Failures.Add($"GET {path} [control]: sent the {visitor.Name} to sign in; the sweep cannot reach this page");
            }

            foreach (var probe in Probes(route, world, slug, path)) await sweep.SendAsync(visitor, probe.Label, probe.Method, probe.Url, probe.Body, probe.ContentType, probe.Header, probe.WithToken ? token : null);
            output.WriteLine($"{route.Template}: {sweep.Sent - before} request(s) as {visitor.Name}");
        }

        await world.AssertSessionsStillSignedInAsync();
        output.WriteLine($"{routes.Count} page(s), {routes.Sum(r => r.Calls.Count)} handler call(s), {sweep.Sent} request(s) "
            + $"({string.Join(", ", sweep.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}), {sweep.Failures.Count} failure(s)");
        Assert.True(sweep.Sent >= routes.Count * 20, $"only {sweep.Sent} requests were sent: the sweep is broken");
        Assert.True(sweep.Failures.Count == 0, $"{sweep.Failures.Count} failure(s):\n" + string.Join("\n", sweep.Failures));
    }

    /// <summary>The two refusals every page shares (Pages/): each was a 500 before, found by the sweep above.</summary>
    [ProviderFact]
    public async Task A_post_no_handler_takes_answers_405_and_a_NUL_in_a_query_answers_400()
    {
        var owner = await MemberWorld.FoundAsync(Factory);
        using var session = await app.SignedInSessionAsync(owner.OwnerEmail);
        var home = await session.GetAsync($"/t/{owner.Tenant.Slug}");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        var token = home.Document.QuerySelector($"input[name={TokenField}]")!.GetAttribute("value")!;

        // The workspace's home only shows (no POST handler); the members page has named ones, none called "nope".
        foreach (var (url, allow) in new[] { ($"/t/{owner.Tenant.Slug}", "GET"), ($"/t/{owner.Tenant.Slug}/members?handler=nope", "GET, POST") })
        {
            var response = await session.Client.PostAsync(url, new FormUrlEncodedContent([new(TokenField, token)]));
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"POST {url} answered {(int)response.StatusCode}");
            Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        }

        var nul = await session.Client.GetAsync($"/t/{owner.Tenant.Slug}/members?q=a%00b");
        Assert.True(nul.StatusCode == HttpStatusCode.BadRequest, $"A NUL in the members search answered {(int)nul.StatusCode}");
    }

    private sealed record Probe(string Label, HttpMethod Method, string Url, string? Body = null, string? ContentType = null,
        (string Name, string Value)? Header = null, bool WithToken = true);

    private static IEnumerable<Probe> Probes(PageRoute route, SweepWorld world, string slug, string path)
    {
        // Each route segment, bad (a constrained one answers 404 before any handler: cheap, and it must stay that way).
        foreach (var parameter in route.Pattern.Parameters)
        {
            foreach (var value in HostileInput.Text.Concat(HostileInput.Malformed).Where(v => v.Encoded.Length > 0))
            {
                yield return new($"{{{parameter.Name}}}={value.Label}", HttpMethod.Get, Fill(route.Pattern, world, slug, (parameter.Name, value.Encoded)));
            }
        }
        foreach (var (label, name, value) in HostileInput.Headers) yield return new(label, HttpMethod.Get, path, Header: (name, value));
        yield return new("unknown handler", HttpMethod.Get, $"{path}?handler=nope");
        yield return new("unknown handler", HttpMethod.Post, $"{path}?handler=nope", Body: "");

        foreach (var call in route.Calls)
        {
            var method = new HttpMethod(call.Method);
            var handler = call.Handler is null ? "" : $"handler={Uri.EscapeDataString(call.Handler)}";
            var names = call.Fields.ToDictionary(f => f.Name, f => f.Type, StringComparer.OrdinalIgnoreCase);
            names.TryAdd("returnUrl", typeof(string));
            if (method == HttpMethod.Get)
            {
                foreach (var (name, type) in names)
                {
                    foreach (var value in HostileInput.For(type, name)) yield return new($"{name}={value.Label}", method, Url(path, handler, $"{Key(name)}={value.Encoded}"));
                }
                yield return new("duplicated keys", method, Url(path, handler, Duplicated(names)));
                continue;
            }

            // A POST carries, besides the bad value, what a form of the page would: a real id where one fits, an enum's first name.
            var baseline = call.Fields.Select(f => (f.Name, Value: Baseline(f, world))).Where(f => f.Value is not null).ToList();
            string Body(string? replaced, string? value) => string.Join("&", baseline.Where(f => f.Name != replaced)
                .Select(f => $"{Key(f.Name)}={Uri.EscapeDataString(f.Value!)}")
                .Concat(replaced is null ? [] : [$"{Key(replaced)}={value}"]));

            foreach (var field in call.Fields)
            {
                foreach (var value in HostileInput.For(field.Type, field.Name)) yield return new($"{field.Name}={value.Label}", method, Url(path, handler), Body(field.Name, value.Encoded));
            }
            foreach (var value in HostileInput.ReturnUrls) yield return new($"?returnUrl={value.Label}", method, Url(path, handler, $"returnUrl={value.Encoded}"), Body(null, null));
            yield return new("duplicated keys", method, Url(path, handler), Duplicated(names));
            yield return new("no anti-forgery token", method, Url(path, handler), Body(null, null), WithToken: false);
            foreach (var (label, contentType, body) in HostileInput.Bodies) yield return new(label, method, Url(path, handler), body, contentType);
        }
    }

    private static string Url(string path, params string[] query) =>
        query.Where(q => q.Length > 0).ToList() is { Count: > 0 } parts ? $"{path}?{string.Join("&", parts)}" : path;

    private static string Key(string name) => Uri.EscapeDataString(name);

    /// <summary>Every field twice, a plausible value then a bad one (a checkbox's "true" then "abc"; "/" then "//evil.example").</summary>
    private static string Duplicated(Dictionary<string, Type> names) =>
        string.Join("&", names.SelectMany(n => HostileInput.IsReturnUrl(n.Key)
            ? new[] { $"{Key(n.Key)}=%2F", $"{Key(n.Key)}=%2F%2Fevil.example" }
            : [$"{Key(n.Key)}=true", $"{Key(n.Key)}=abc"]));

    private static string? Baseline(PageField field, SweepWorld world) =>
        field.Type == typeof(Guid) ? world.Objects.IdFor(field.Name, null)?.ToString()
        : field.Type.IsEnum ? Enum.GetNames(field.Type)[0]
        : null;

    /// <summary>
    /// A path for the route: the workspace's slug, the invitation's token, the victim workspace for /admin/tenants/{id}, a
    /// real object of the workspace where one fits the parameter, else a fresh GUID; <paramref name="bad"/> replaces one.
    /// </summary>
    private static string Fill(RoutePattern pattern, SweepWorld world, string slug, (string Name, string Encoded)? bad)
    {
        var segments = new List<string>();
        string? previousLiteral = null;
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text.Append(Uri.EscapeDataString(literal.Content));
                        previousLiteral = literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        text.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter when bad is { } b && b.Name == parameter.Name:
                        text.Append(b.Encoded);
                        break;
                    case RoutePatternParameterPart parameter:
                        var value = parameter.Name switch
                        {
                            "slug" => slug,
                            "token" => world.InvitationToken,
                            _ when previousLiteral == "tenants" => world.Victim.Id.ToString(),
                            _ => world.Objects.IdFor(parameter.Name, previousLiteral)?.ToString()
                                ?? (parameter.IsOptional ? null : Guid.NewGuid().ToString()),
                        };
                        if (value is not null) text.Append(Uri.EscapeDataString(value));
                        break;
                }
            }
            if (text.Length > 0) segments.Add(text.ToString());
        }
        return "/" + string.Join("/", segments);
    }

    /// <summary>A fresh anti-forgery token of the visitor's session (a probe may have rotated its cookie).</summary>
    private static async Task<string> TokenAsync(Visitor visitor, PageRoute route)
    {
        var page = await visitor.Session.GetAsync(visitor.TokenPage);
        var token = page.Document.QuerySelector($"input[name={TokenField}]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), $"No anti-forgery token on {visitor.TokenPage} for the {visitor.Name} (sweeping {route.Template}): {(int)page.Status}");
        return token!;
    }

    /// <summary>Who calls a page: the session, and a page of theirs that carries an anti-forgery token.</summary>
    internal sealed record Visitor(string Name, WebSession Session, string TokenPage);

    /// <summary>What the sweep runs against: a workspace with a row in every collection, its owner, the operator, a victim.</summary>
    private sealed class SweepWorld
    {
        private AppFactory factory = null!;

        public MemberWorld Owner { get; private init; } = null!;
        public CurrentTenant Victim { get; private init; } = null!;
        public TenantObjects Objects { get; private init; } = null!;
        public string InvitationToken { get; private init; } = "";
        public Visitor Anonymous { get; private init; } = null!;
        public Visitor OwnerVisitor { get; private init; } = null!;
        public Visitor Operator { get; private init; } = null!;

        public static async Task<SweepWorld> CreateAsync(KestrelApp app)
        {
            var factory = app.Started;
            var owner = await MemberWorld.FoundAsync(factory);
            await factory.AllFeaturesOnAsync(owner.Tenant);
            using (var client = factory.ApiClient(await owner.CreateKeyAsync([.. factory.ApiScopes], name: "sweep")))
            {
                await ApiCollections.CreateOneInEachAsync(factory.Services, client, _ => ApiCollections.CommonBody("Sweep"));
            }
            var invited = AccountFlows.UniqueEmail("sweep-invited");
            var link = await new InvitationWorld(owner).InvitedLinkAsync(invited);
            // The operator acts on a workspace of its own, so suspending it leaves the owner's pages as they were.
            var victim = await factory.TenantWithOwnerAsync("Victim");
            var operatorUser = await factory.CreateOperatorAsync();
            return new SweepWorld
            {
                factory = factory,
                Owner = owner,
                Victim = victim.Tenant,
                Objects = await TenantObjects.ReadAsync(factory.Services, owner.Tenant),
                InvitationToken = link.Split('/')[^1],
                Anonymous = new("anonymous visitor", app.CreateSession(), AccountFlows.LoginPath),
                OwnerVisitor = new("workspace owner", await app.SignedInSessionAsync(owner.OwnerEmail), AccountFlows.ManagePath),
                Operator = new("operator", await app.SignedInSessionAsync(operatorUser.Email!), "/admin"),
            };
        }

        public Visitor VisitorFor(PageRoute route) =>
            route.Template.StartsWith("/admin", StringComparison.Ordinal) ? Operator
            : route.NeedsSignIn ? OwnerVisitor
            : Anonymous;

        /// <summary>The owner's workspace address now: a probe of its settings may have moved it.</summary>
        public Task<string> CurrentSlugAsync() =>
            factory.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Set<Tenant>().Where(t => t.Id == Owner.Tenant.Id).Select(t => t.Slug).SingleAsync());

        /// <summary>Nothing the probes sent signed the owner or the operator out, so every page after the first was reached as them.</summary>
        public async Task AssertSessionsStillSignedInAsync()
        {
            foreach (var visitor in new[] { OwnerVisitor, Operator })
            {
                var page = await visitor.Session.GetAsync(visitor.TokenPage);
                Assert.True(page.Status == HttpStatusCode.OK, $"the {visitor.Name} was signed out by the sweep: {visitor.TokenPage} answered {(int)page.Status}");
            }
        }
    }

    /// <summary>Sends requests and judges each answer; counts what it sent.</summary>
    private sealed partial class Sweep(ITestOutputHelper output, Uri site)
    {
        public List<string> Failures { get; } = [];
        public int Sent { get; private set; }

        /// <summary>How many answers had each status, for the summary.</summary>
        public SortedDictionary<int, int> Statuses { get; } = [];

        public async Task<HttpResponseMessage?> SendAsync(Visitor visitor, string label, HttpMethod method, string url, string? body,
            string? contentType = null, (string Name, string Value)? header = null, string? token = null)
        {
            var what = $"{method} {Shorten(url)} [{label}] as the {visitor.Name}";
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                var full = token is null ? body : string.Join("&", new[] { $"{TokenField}={Uri.EscapeDataString(token)}", body }.Where(p => p.Length > 0));
                request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(full));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/x-www-form-urlencoded");
            }
            if (header is { } h) request.Headers.TryAddWithoutValidation(h.Name, h.Value);
            Sent++;
            HttpResponseMessage response;
            try
            {
                response = await visitor.Session.Client.SendAsync(request);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Failures.Add($"{what}: the app threw {e.GetType().Name}: {e.Message}");
                return null;
            }
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
            if (status >= 500) Failures.Add($"{what}: {status} {Cause(text)}");
            if (WebSession.IsRedirect(response.StatusCode) && response.Headers.Location is { } location && OffSite(location))
            {
                Failures.Add($"{what}: {status} redirects off the site, to {location.OriginalString}");
            }
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                foreach (var value in values.Where(v => v.Any(c => c > '~' || (c < ' ' && c != '\t'))))
                {
                    Failures.Add($"{what}: header {name} has a character Kestrel refuses to send (a 500 in production): {Shorten(value)}");
                }
            }
            if (text.Contains(HostileInput.Script, StringComparison.Ordinal)) Failures.Add($"{what}: {status} echoes {HostileInput.Script} unencoded");
            if (status >= 500) output.WriteLine($"{status} {what}");
            return response;
        }

        private bool OffSite(Uri location) =>
            location.IsAbsoluteUri ? location.Authority != site.Authority
            : location.OriginalString.StartsWith("//", StringComparison.Ordinal) || location.OriginalString.StartsWith("/\\", StringComparison.Ordinal);

        /// <summary>The exception the developer page names (as HTML, or as a problem when HTML was not asked for), else the body.</summary>
        private static string Cause(string body)
        {
            var match = StackError().Match(body);
            var text = match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : body;
            if (!match.Success && body.StartsWith('{'))
            {
                try
                {
                    using var problem = System.Text.Json.JsonDocument.Parse(body);
                    text = $"{problem.RootElement.GetProperty("title")}: {problem.RootElement.GetProperty("detail")}";
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException)
                {
                    // Not a problem document: the body as it is.
                }
            }
            return Shorten(Regex.Replace(text, @"\s+", " "));
        }

        private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;

        [GeneratedRegex(@"class=""stackerror""[^>]*>(.*?)</", RegexOptions.Singleline)]
        private static partial Regex StackError();
    }

    public sealed class OnSqlite(KestrelApp<SqliteAppFactory> app, ITestOutputHelper output)
        : PageSweepTests(app, output), IClassFixture<KestrelApp<SqliteAppFactory>>;

    public sealed class OnPostgres(KestrelApp<PostgresAppFactory> app, ITestOutputHelper output)
        : PageSweepTests(app, output), IClassFixture<KestrelApp<PostgresAppFactory>>, IRunsOnPostgres;
}
