using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Api;

public sealed class OpenApiAndScalarTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task OpenApi_document_describes_the_v1_api()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        var paths = root.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        // The API root is GET /api/v1/, which the document names /api/v1.
        Assert.Contains(paths, p => p.TrimEnd('/') == "/api/v1");
        Assert.DoesNotContain(paths, p => p.Contains("{**path}", StringComparison.Ordinal) || p.Contains("{path}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scalar_page_is_html_whose_scripts_are_all_served_locally()
    {
        using var session = factory.CreateSession();
        var page = await session.GetFollowingRedirectsAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);

        var scripts = page.Document.Scripts.Select(s => s.Source).Where(s => !string.IsNullOrEmpty(s)).ToList();
        var styles = page.Document.QuerySelectorAll("link[rel=stylesheet][href]").Select(l => l.GetAttribute("href")!).ToList();
        Assert.NotEmpty(scripts);
        foreach (var url in scripts.Concat(styles))
        {
            var absolute = new Uri(page.Address, url);
            Assert.True(absolute.Host == page.Address.Host, $"{url} is loaded from another host: a self-hosted app must work offline.");
        }
        Assert.DoesNotMatch(@"(?i)https?://[^""'\s]*(cdn|jsdelivr|unpkg|googleapis|fonts\.)", page.Html);

        foreach (var url in scripts)
        {
            var script = await session.Client.GetAsync(new Uri(page.Address, url));
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)script.StatusCode}");
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 0, $"{url} is empty");
        }
    }

    /// <summary>
    /// Scalar's page boots from an inline script. The policy lets that one run by a nonce made for the request, never by
    /// 'unsafe-inline', which would let any script injected into the page run too.
    /// </summary>
    [Fact]
    public async Task Scalar_page_runs_its_inline_script_by_a_fresh_nonce_not_by_unsafe_inline()
    {
        using var session = factory.CreateSession();

        var nonces = new List<string>();
        for (var visit = 0; visit < 2; visit++)
        {
            var page = await session.GetFollowingRedirectsAsync("/scalar/");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var policy = string.Join(";", page.Response.Headers.GetValues("Content-Security-Policy"));
            var scriptSrc = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
            Assert.DoesNotContain("'unsafe-inline'", scriptSrc);
            Assert.DoesNotContain("'unsafe-eval'", scriptSrc);
            var nonce = Assert.Single(Regex.Matches(scriptSrc, "'nonce-([^']+)'")).Groups[1].Value;
            Assert.True(nonce.Length >= 16, $"A guessable nonce: {nonce}");

            var inline = page.Document.Scripts.Where(s => string.IsNullOrEmpty(s.Source)).ToList();
            Assert.NotEmpty(inline);
            Assert.All(inline, script => Assert.Equal(nonce, script.GetAttribute("nonce")));
            nonces.Add(nonce);
        }
        Assert.NotEqual(nonces[0], nonces[1]);
    }
}
