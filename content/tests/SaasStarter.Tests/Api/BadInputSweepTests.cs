using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Hosting;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Tests.Tenancy;
using SaasStarter.Api.Keys;

namespace SaasStarter.Tests.Api;

/// <summary>
/// Bad input on every /api/v1 endpoint, read from the endpoint data source so an endpoint added later is swept too:
/// malformed JSON, wrong JSON types, missing fields, a 10 MB field, unicode edge cases, bad paging and filter values,
/// unknown enum values, bad ids and wrong content types, all sent with a key holding every scope. Every answer must be a
/// 4xx problem with a traceId (or a 2xx for input that is in fact valid, which must then round-trip), never a 5xx, and
/// a refused request must leave the tenant's rows as they were, and the client's mistake must stay out of the error log
/// (an anonymous client could fill it). Every failure is reported at once.
/// </summary>
public abstract class BadInputSweepTests
{
    private const string Prefix = "api/v1";
    private const string Many = "1000000";

    /// <summary>Fields whose values come from a fixed list: a made-up value must be refused.</summary>
    private static readonly Dictionary<string, string> BogusValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = "weird", ["sort"] = "bogus", ["role"] = "God", ["action"] = "weird.thing", ["since"] = "yesterday-ish",
    };

    /// <summary>A valid body for each endpoint that reads one (fresh values each call, so a valid POST does not collide).</summary>
    private static readonly Dictionary<string, Func<Dictionary<string, string>>> ValidBodies = new(StringComparer.Ordinal)
    {
        ["POST api/v1/projects"] = () => new() { ["name"] = Unique("Sweep"), ["description"] = "Swept." },
        ["PUT api/v1/projects/{id:guid}"] = () => new() { ["name"] = Unique("Sweep"), ["description"] = "Swept.", ["status"] = "active" },
        ["POST api/v1/invitations"] = () => new() { ["email"] = AccountFlows.UniqueEmail("sweep"), ["role"] = "Member" },
    };

    /// <summary>
    /// A valid body for <paramref name="key"/> ("POST api/v1/x"): its entry in <see cref="ValidBodies"/>, else, for a create
    /// or replace of a collection (a module made from the template), a name and a description; null when none is known.
    /// </summary>
    private static Func<Dictionary<string, string>>? ValidBody(string key) =>
        ValidBodies.TryGetValue(key, out var body) ? body
        : Regex.IsMatch(key, @"^(POST api/v1/[a-z0-9-]+|PUT api/v1/[a-z0-9-]+/\{id(:guid)?\})$") ? () => new() { ["name"] = Unique("Sweep"), ["description"] = "Swept." }
        : null;

    /// <summary>Unicode put before a valid value: as raw JSON (escaped where JSON must) and as the string it means.</summary>
    private static readonly (string Label, string Json, string Text)[] Unicode =
    [
        ("emoji", "🚀👩‍👩‍👧 ", "🚀👩‍👩‍👧 "),
        ("right-to-left", "مشروع \u202E ", "مشروع \u202E "),
        ("NUL", "\\u0000", "\u0000"),
        ("lone surrogate", "\\ud800", "\ud800"),
        ("combining characters", "e\u0301\u0308\u0323", "e\u0301\u0308\u0323"),
        ("byte order mark", "\uFEFF", "\uFEFF"),
    ];

    /// <summary>The same in a query string (percent-encoded UTF-8; the surrogate as the bytes UTF-8 forbids).</summary>
    private static readonly (string Label, string Encoded)[] UnicodeQuery =
    [
        ("emoji", Uri.EscapeDataString("🚀👩‍👩‍👧")),
        ("right-to-left", Uri.EscapeDataString("مشروع \u202E")),
        ("NUL", "a%00b"),
        ("lone surrogate", "%ED%A0%80"),
        ("invalid UTF-8", "%FF%FE"),
        ("combining characters", Uri.EscapeDataString("e\u0301\u0308\u0323")),
        ("long", new string('x', 4000)),
    ];

    private readonly AppFactory factory;
    private readonly CapturedLog log = new();
    private readonly ITestOutputHelper output;

    protected BadInputSweepTests(AppFactory factory, ITestOutputHelper output)
    {
        // Some hundred requests from one key: lift the buckets so a 429 does not stand in for the answer under test.
        this.factory = factory
            .WithSetting("Api:RateLimits:PerKey:PermitsPerMinute", Many).WithSetting("Api:RateLimits:PerKey:Burst", Many)
            .WithSetting("Api:RateLimits:PerTenant:PermitsPerMinute", Many).WithSetting("Api:RateLimits:PerTenant:Burst", Many)
            .WithSetting("Api:RateLimits:Anonymous:PermitsPerMinute", Many).WithSetting("Api:RateLimits:Anonymous:Burst", Many)
            // The plan's rate caps the buckets too: Enterprise (3000 a minute, no member or project limit) rather than Free's 120.
            .WithSetting("Plans:Default", "enterprise");
        this.factory.WithServices(log.AddTo);
        this.output = output;
    }

    [ProviderFact]
    public async Task Every_api_endpoint_refuses_bad_input_with_a_problem_and_writes_nothing()
    {
        var endpoints = Discover();
        var world = await MemberWorld.FoundAsync(factory);
        var key = await world.CreateKeyAsync([.. factory.ApiScopes]);
        using var client = factory.ApiClient(key);

        // Real objects of the tenant for the {id} of each route, one in every collection that creates (a module's added
        // later included), made through the API itself (which also checks the controls).
        var ids = await ApiCollections.CreateOneInEachAsync(factory.Services, client,
            collection => ValidBody($"POST {Prefix}/{collection}")!());
        ids["members"] = world.OwnerMembershipId;

        var sweep = new Sweep(factory, world.Tenant, client, log, output);
        await sweep.StartAsync();
        foreach (var endpoint in endpoints)
        {
            foreach (var probe in Probes(endpoint, ids)) await sweep.RunAsync(probe);
        }

        output.WriteLine($"{endpoints.Count} endpoint(s), {sweep.Sent} probe(s), {sweep.Accepted} accepted as valid, {sweep.Failures.Count} failure(s)");
        Assert.True(sweep.Sent >= endpoints.Count * 3, $"only {sweep.Sent} probes were sent: the sweep is broken");
        Assert.True(sweep.Failures.Count == 0, $"{sweep.Failures.Count} failure(s):\n" + string.Join("\n", sweep.Failures));
    }

    /// <summary>One /api/v1 route and method, with its handler's parameters and whether it reads a JSON body.</summary>
    private sealed record ApiEndpoint(string Method, string Pattern, IReadOnlyList<(string Name, Type Type)> Query, bool ReadsBody, IReadOnlyList<string> RouteParameters)
    {
        public string Key => $"{Method} {Pattern}";
        public override string ToString() => Key;
    }

    private List<ApiEndpoint> Discover()
    {
        var found = new List<ApiEndpoint>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText?.Trim('/') ?? "";
            if (!pattern.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
            var query = handler?.GetParameters()
                .Where(p => p.Name is not null && !routeParameters.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
                .Select(p => (Name: p.Name!, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
                .Where(p => p.Type == typeof(string) || p.Type == typeof(int) || p.Type == typeof(long) || p.Type == typeof(DateTime))
                .ToList() ?? [];
            var readsBody = endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                found.Add(new ApiEndpoint(method, pattern, method == "GET" ? query : [], readsBody && method is "POST" or "PUT" or "PATCH", routeParameters));
            }
        }
        output.WriteLine($"{found.Count} /api/v1 endpoint(s):");
        foreach (var e in found) output.WriteLine($"  {e} query=[{string.Join(", ", e.Query.Select(q => q.Name))}] body={e.ReadsBody}");
        Assert.True(found.Count >= 10, "Fewer /api/v1 endpoints than the contract has: the discovery is broken.");
        return found;
    }

    private enum Expect { Refuse, MayAccept }

    /// <summary>One request; when accepted, <paramref name="RoundTrip"/> is the field and the string it must come back as.</summary>
    private sealed record Probe(string Label, HttpMethod Method, string Path, Func<HttpContent>? Content, Expect Expect,
        (string Field, string Value)? RoundTrip = null, int[]? Statuses = null);

    private static IEnumerable<Probe> Probes(ApiEndpoint endpoint, Dictionary<string, Guid> ids)
    {
        var method = new HttpMethod(endpoint.Method);
        var path = "/" + FillRoute(endpoint.Pattern, ids, null);

        // Bad ids: never an object, always a 404 (or another refusal), with or without a valid body.
        foreach (var parameter in endpoint.RouteParameters)
        {
            foreach (var bad in new[] { "not-a-guid", Guid.Empty.ToString(), Guid.NewGuid().ToString(), "%20", "1%20OR%201%3D1", "..%2F..%2Fmembers" })
            {
                var badPath = "/" + FillRoute(endpoint.Pattern, ids, (parameter, bad));
                Func<HttpContent>? content = endpoint.ReadsBody && ValidBody(endpoint.Key) is { } valid ? () => Json(valid()) : null;
                yield return new($"{parameter}={bad}", method, badPath, content, Expect.Refuse);
            }
        }

        foreach (var probe in QueryProbes(endpoint, method, path)) yield return probe;
        if (!endpoint.ReadsBody) yield break;

        if (ValidBody(endpoint.Key) is not { } body)
        {
            yield return new("no valid body is known to this sweep: add one to ValidBodies", method, path, () => Json([]), Expect.Refuse, Statuses: [0]);
            yield break;
        }

        // The control: the valid body is accepted, so the refusals below are about the input.
        yield return new("valid body (control)", method, path, () => Json(body()), Expect.MayAccept, Statuses: [200, 201]);

        foreach (var (label, text) in new[]
                 {
                     ("malformed JSON: cut off", "{\"name\":"), ("malformed JSON: single quotes", "{name: 'x'}"), ("malformed JSON: text", "not json"),
                     ("malformed JSON: trailing comma", "{\"name\":\"x\",}"), ("empty body", ""), ("JSON null", "null"), ("JSON number", "42"),
                     ("array body", "[" + Raw(body()) + "]"), ("empty object", "{}"), ("nested too deep", new string('[', 5000) + new string(']', 5000)),
                 })
        {
            yield return new(label, method, path, () => new StringContent(text, Encoding.UTF8, "application/json"), Expect.Refuse);
        }

        foreach (var mediaType in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml", null })
        {
            yield return new($"Content-Type {mediaType ?? "(none)"}", method, path, () =>
            {
                var content = new StringContent(Raw(body()), Encoding.UTF8);
                content.Headers.ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType);
                return content;
            }, Expect.Refuse);
        }

        foreach (var field in body().Keys)
        {
            foreach (var (label, json) in new[] { ("number", "42"), ("object", "{\"a\":1}"), ("array", "[\"x\"]"), ("boolean", "true") })
            {
                yield return new($"{field}: {label} for a string", method, path, () => Json(body(), field, json), Expect.Refuse);
            }
            yield return new($"{field}: null", method, path, () => Json(body(), field, "null"), Expect.MayAccept);
            yield return new($"{field}: missing", method, path, () => Json(body(), field, null), Expect.MayAccept);
            yield return new($"{field}: 10 MB string", method, path, () => Json(body(), field, "\"" + new string('a', 10 * 1024 * 1024) + "\""),
                Expect.Refuse, Statuses: [400, 413]);
            if (BogusValues.TryGetValue(field, out var bogus))
            {
                yield return new($"{field}={bogus}", method, path, () => Json(body(), field, JsonSerializer.Serialize(bogus)), Expect.Refuse);
            }
            foreach (var (label, json, text) in Unicode)
            {
                // The value is made once per request, so the round-trip check knows what this very request sent.
                yield return UnicodeProbe(method, path, body, field, label, json, text);
            }
            yield return PaddedProbe(method, path, body, field);
        }
    }

    /// <summary>A valid value with spaces around it: the API trims text, so if accepted it must come back as the value alone.</summary>
    private static Probe PaddedProbe(HttpMethod method, string path, Func<Dictionary<string, string>> body, string field)
    {
        var fields = body();
        var valid = fields[field];
        return new($"{field}: surrounded by spaces", method, path, () => Json(fields, field, JsonSerializer.Serialize($"  {valid} \t")),
            Expect.MayAccept, (field, valid));
    }

    private static Probe UnicodeProbe(HttpMethod method, string path, Func<Dictionary<string, string>> body, string field, string label, string json, string text)
    {
        var fields = body();
        var valid = fields[field];
        var encoded = JsonEncodedText.Encode(valid, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return new($"{field}: {label}", method, path, () => Json(fields, field, $"\"{json}{encoded}\""), Expect.MayAccept, (field, text + valid));
    }

    private static IEnumerable<Probe> QueryProbes(ApiEndpoint endpoint, HttpMethod method, string path)
    {
        foreach (var (name, type) in endpoint.Query)
        {
            if (type == typeof(int) || type == typeof(long))
            {
                var bad = name.Equals("pageSize", StringComparison.OrdinalIgnoreCase)
                    ? new[] { "0", "-1", "101", "1000000", "abc", "99999999999", "1.5", "%20" }
                    : ["-1", "0", "abc", "99999999999", "1e3", "0x10"];
                foreach (var value in bad) yield return new($"{name}={value}", method, $"{path}?{name}={value}", null, Expect.Refuse);
            }
            if (BogusValues.TryGetValue(name, out var bogus))
            {
                yield return new($"{name}={bogus}", method, $"{path}?{name}={Uri.EscapeDataString(bogus)}", null, Expect.Refuse);
            }
            if (type == typeof(string))
            {
                foreach (var (label, encoded) in UnicodeQuery)
                {
                    yield return new($"{name}: {label}", method, $"{path}?{name}={encoded}", null, Expect.MayAccept);
                }
            }
        }
    }

    private static string FillRoute(string pattern, Dictionary<string, Guid> ids, (string Parameter, string Value)? bad)
    {
        var segments = pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{')) continue;
            var name = segments[i].Trim('{', '}').Split(':', '?', '=')[0];
            segments[i] = bad is { } b && b.Parameter == name
                ? b.Value
                : (i > 0 && ids.TryGetValue(segments[i - 1], out var id) ? id : Guid.NewGuid()).ToString();
        }
        return string.Join('/', segments);
    }

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..16];

    private static string Raw(Dictionary<string, string> body, string? field = null, string? replacement = null) =>
        "{" + string.Join(",", body
            .Where(f => f.Key != field || replacement is not null)
            .Select(f => $"{JsonSerializer.Serialize(f.Key)}:{(f.Key == field ? replacement : JsonSerializer.Serialize(f.Value))}")) + "}";

    private static StringContent Json(Dictionary<string, string> body, string? field = null, string? replacement = null) =>
        new(Raw(body, field, replacement), Encoding.UTF8, "application/json");

    /// <summary>Sends probes and judges the answers against a snapshot of the tenant's rows taken around each one.</summary>
    private sealed class Sweep(AppFactory factory, CurrentTenant tenant, HttpClient client, CapturedLog log, ITestOutputHelper output)
    {
        // The rows a request could write: every tenant-owned table, a module's added later included. (API keys are left
        // out: a request stamps its key's last use.)
        private static readonly string[] Unwatched = ["ApiKey"];

        private List<string> rows = [];

        public List<string> Failures { get; } = [];
        public int Sent { get; private set; }
        public int Accepted { get; private set; }

        public async Task StartAsync()
        {
            rows = await RowsAsync();
            Assert.Contains(rows, r => r.StartsWith("Project:", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.StartsWith("Invitation:", StringComparison.Ordinal));
        }

        public async Task RunAsync(Probe probe)
        {
            var what = $"{probe.Method} {Shorten(probe.Path)} [{probe.Label}]";
            if (probe.Statuses is [0])
            {
                Failures.Add(what);
                return;
            }
            Sent++;
            using var request = new HttpRequestMessage(probe.Method, probe.Path) { Content = probe.Content?.Invoke() };
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Failures.Add($"{what}: the app threw {e.GetType().Name}: {e.Message}");
                rows = await RowsAsync();
                return;
            }
            using var _ = response;
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var after = await RowsAsync();
            output.WriteLine($"{status} {what}");

            if (status >= 500) Failures.Add($"{what}: {status} {Excerpt(body)}");
            else if (status is >= 400 and < 500) await RefusedAsync(what, response, body, after);

            else if (status is >= 200 and < 300)
            {
                Accepted++;
                if (probe.Expect == Expect.Refuse) Failures.Add($"{what}: accepted with {status}, expected a refusal");
                else if (probe.RoundTrip is { } field) await RoundTripsAsync(what, response, body, field);
            }
            else Failures.Add($"{what}: {status}, expected a 4xx or a 2xx");

            if (probe.Statuses is { } allowed && !allowed.Contains(status)) Failures.Add($"{what}: {status}, expected {string.Join(" or ", allowed)}");
            rows = after;
        }

        private async Task RefusedAsync(string what, HttpResponseMessage response, string body, List<string> after)
        {
            var status = (int)response.StatusCode;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                Failures.Add($"{what}: {status} as '{response.Content.Headers.ContentType}', expected application/problem+json: {Excerpt(body)}");
            }
            else
            {
                try
                {
                    using var problem = JsonDocument.Parse(body);
                    if (!problem.RootElement.TryGetProperty("traceId", out var traceId)) Failures.Add($"{what}: {status} problem without a traceId: {Excerpt(body)}");
                    else
                    {
                        // The client's mistake, not the app's: nothing for the error log.
                        var errors = (await log.OfRequestAsync(traceId.GetString()!)).Where(e => e.Level >= LogLevel.Error);
                        foreach (var error in errors) Failures.Add($"{what}: {status}, logged as an error: {error}");
                    }
                }
                catch (JsonException)
                {
                    Failures.Add($"{what}: {status} problem that is not JSON: {Excerpt(body)}");
                }
            }
            foreach (var row in rows.Except(after)) Failures.Add($"{what}: refused with {status} but changed or removed {row}");
            foreach (var row in after.Except(rows)) Failures.Add($"{what}: refused with {status} but wrote {row}");
        }

        /// <summary>An accepted value comes back as sent, in the answer and when read again: present, a string, equal.</summary>
        private async Task RoundTripsAsync(string what, HttpResponseMessage response, string body, (string Field, string Value) sent)
        {
            Check("the answer", body);
            // Where the object can be read again: a create says so in Location, a replace was sent to it.
            var location = response.Headers.Location?.OriginalString ?? response.RequestMessage!.RequestUri!.PathAndQuery;
            using var again = await client.GetAsync(location);
            if (again.IsSuccessStatusCode) Check($"GET {Shorten(location)}", await again.Content.ReadAsStringAsync());
            else Failures.Add($"{what}: reading it back answered {(int)again.StatusCode}");

            void Check(string where, string json)
            {
                JsonElement value;
                try
                {
                    using var document = JsonDocument.Parse(json);
                    if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(sent.Field, out value))
                    {
                        Failures.Add($"{what}: accepted, but {where} has no {sent.Field}: {Excerpt(json)}");
                        return;
                    }
                    value = value.Clone();
                }
                catch (JsonException)
                {
                    Failures.Add($"{what}: accepted, but {where} is not JSON: {Excerpt(json)}");
                    return;
                }
                if (value.ValueKind != JsonValueKind.String || value.GetString() != sent.Value)
                {
                    Failures.Add($"{what}: accepted, but {where} has {sent.Field}={value.GetRawText()}, not {JsonSerializer.Serialize(sent.Value)}");
                }
            }
        }

        private async Task<List<string>> RowsAsync() =>
            [.. (await TenantObjects.ReadAsync(factory.Services, tenant)).Rows.Where(r => !Unwatched.Any(w => r.StartsWith(w + ":", StringComparison.Ordinal)))];

        private static string Shorten(string path) => path.Length > 120 ? path[..120] + "…" : path;

        private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;
    }

    public sealed class OnSqlite(SqliteAppFactory factory, ITestOutputHelper output)
        : BadInputSweepTests(factory, output), IClassFixture<SqliteAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory factory, ITestOutputHelper output)
        : BadInputSweepTests(factory, output), IClassFixture<PostgresAppFactory>;
}
