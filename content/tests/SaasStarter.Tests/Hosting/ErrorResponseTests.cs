using System.Net;
using SaasStarter.Tests.Api;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>Every error has a body made for its reader: an HTML page for people, a problem document for the API.</summary>
public sealed class ErrorResponseTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    /// <summary>Guards the re-execution of /Error: inside a UseWhen branch it was never routed and pages got an empty 404.</summary>
    [Fact]
    public async Task Unknown_page_returns_the_404_html_error_page()
    {
        using var session = factory.CreateSession();

        var page = await session.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not found", page.Document.Title ?? "", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Routing's 405 for a route that exists under another method, said as a problem, with the methods that do work.</summary>
    [Fact]
    public async Task Wrong_method_on_an_api_route_returns_405_problem()
    {
        using var client = factory.CreateClient();

        var response = await client.DeleteAsync("/api/v1/");

        var problem = await HealthAndApiTests.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
        Assert.True(problem.TryGetProperty("traceId", out _), "A problem carries the traceId: " + problem);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/")).StatusCode);
    }
}
