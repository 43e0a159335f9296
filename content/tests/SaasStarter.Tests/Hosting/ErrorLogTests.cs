using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using SaasStarter.Tests.Api;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// The error log is for the app's faults. A client's mistake (here: a body the endpoint cannot read, from an anonymous
/// client) is a 4xx problem logged at Information with its reason; an exception of the app's own is a 500 logged at
/// Error. Both environments, since Development has the developer exception page in front of everything.
/// </summary>
public sealed class ErrorLogTests(SqliteAppFactory factory) : IClassFixture<SqliteAppFactory>
{
    private const string Read = "/api/v1/test/read";
    private const string Fail = "/api/v1/test/fail";

    public sealed record Note(string Text);

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task A_clients_unreadable_request_is_a_4xx_problem_logged_below_error_with_its_reason(string environment)
    {
        var (app, log) = Start(environment);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ProductionApp.Https });

        var untyped = new StringContent("{\"text\":\"hello\"}");
        untyped.Headers.ContentType = null;
        (string Label, HttpContent? Body, HttpStatusCode Status)[] requests =
        [
            ("malformed JSON", new StringContent("{\"text\":", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest),
            ("no body", null, HttpStatusCode.BadRequest),
            ("a body without a Content-Type", untyped, HttpStatusCode.UnsupportedMediaType),
        ];
        foreach (var (label, body, status) in requests)
        {
            using var response = await client.PostAsync(Read, body);

            var entries = await log.OfRequestAsync(await TraceIdAsync(response, status));
            Assert.True(!entries.Any(e => e.Level >= LogLevel.Error), $"{label}: logged as an error:\n{string.Join("\n", entries)}");
            var entry = entries.SingleOrDefault(e => e.Category == "SaasStarter.ClientErrors")
                ?? throw new Xunit.Sdk.XunitException($"{label}: the refusal was not logged:\n{string.Join("\n", entries)}");
            Assert.Equal(LogLevel.Information, entry.Level);
            var refused = $"POST {Read} refused with {(int)status}: ";
            Assert.StartsWith(refused, entry.Message, StringComparison.Ordinal);
            Assert.True(entry.Message.Length > refused.Length + 10, $"{label}: no reason given: {entry.Message}");
        }
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task An_exception_of_the_apps_own_is_a_500_logged_at_error(string environment)
    {
        var (app, log) = Start(environment);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ProductionApp.Https });

        using var response = await client.GetAsync(Fail);

        var entries = await log.OfRequestAsync(await TraceIdAsync(response, HttpStatusCode.InternalServerError));
        var error = Assert.Single(entries, e => e.Level >= LogLevel.Error);
        Assert.Equal("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", error.Category);
        Assert.Equal("The app's own fault.", Assert.IsType<InvalidOperationException>(error.Exception).Message);
        Assert.DoesNotContain(entries, e => e.Category == "SaasStarter.ClientErrors");
    }

    private static async Task<string> TraceIdAsync(HttpResponseMessage response, HttpStatusCode status) =>
        (await HealthAndApiTests.AssertProblemAsync(response, status)).GetProperty("traceId").GetString()!;

    /// <summary>The app in <paramref name="environment"/> with the two test endpoints and its log captured.</summary>
    private (WebApplicationFactory<Program> App, CapturedLog Log) Start(string environment)
    {
        var log = new CapturedLog();
        var app = (environment == "Production" ? factory.InProduction() : factory).WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            log.AddTo(services);
            services.AddTestApi(v1 =>
            {
                v1.MapPost("/test/read", (Note note) => TypedResults.Ok(note));
                v1.MapGet("/test/fail", string () => throw new InvalidOperationException("The app's own fault."));
            });
        }));
        return (app, log);
    }
}
