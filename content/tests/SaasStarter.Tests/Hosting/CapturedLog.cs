using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Hosting;

/// <summary>
/// Every entry an app logs, as its configured levels let it through (the app's <c>Logging</c> settings filter this
/// provider like any other), with the request it was logged for: to show what reaches an operator's error log and what
/// stays below it.
/// </summary>
public sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
{
    /// <summary>The category of the host's "Request finished", logged once the whole pipeline is done with a request.</summary>
    private const string Hosting = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception, string? RequestId)
    {
        public override string ToString() =>
            $"{Level} {Category}: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";
    }

    private readonly ConcurrentQueue<Entry> entries = new();

    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <summary>Makes this log one of the app's logger providers: pass it to <c>WithServices</c> or <c>ConfigureTestServices</c>.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        // The end of each request, which the app's settings keep out of its own log, reaches this one: the framework logs
        // some entries (the exception handler's) after the response is sent, so a test waits for the end, not the answer.
        services.Configure<LoggerFilterOptions>(options => options.AddFilter<CapturedLog>(Hosting, LogLevel.Information));
    }

    public IReadOnlyList<Entry> Entries => [.. entries];

    /// <summary>What the app logged for the request <paramref name="requestId"/> (a problem's traceId), once it has ended.</summary>
    public async Task<IReadOnlyList<Entry>> OfRequestAsync(string requestId)
    {
        var logged = await Eventually.UntilAsync(() => Task.FromResult(entries.Where(e => e.RequestId == requestId).ToList()),
            found => found.Any(e => e.Category == Hosting && e.Message.StartsWith("Request finished", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), $"the end of request {requestId}");
        return [.. logged.Where(e => e.Category != Hosting)];
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>The host's scope of the request being served (its RequestId is the request's TraceIdentifier).</summary>
    private string? CurrentRequestId()
    {
        string? requestId = null;
        scopes.ForEachScope((scope, _) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "RequestId").Value is string id) requestId = id;
        }, (object?)null);
        return requestId;
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => log.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception, log.CurrentRequestId()));
    }
}
