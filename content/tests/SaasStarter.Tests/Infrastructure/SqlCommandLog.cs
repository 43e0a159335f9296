using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// Every SQL command an app's <see cref="AppDbContext"/> sends, with its parameter values: to prove that a request did
/// (or did not) query the database for something, e.g. an API key by its public id.
/// </summary>
public sealed class SqlCommandLog : DbCommandInterceptor
{
    public sealed record Command(string Text, IReadOnlyList<string> Values, object? Flow);

    // Marks the commands of one piece of work (its async flow), apart from those the app's background work sends meanwhile.
    private static readonly AsyncLocal<object?> CurrentFlow = new();

    private readonly ConcurrentQueue<Command> commands = new();

    /// <summary>The app of <paramref name="factory"/> (same settings, same database) with this log attached.</summary>
    public WebApplicationFactory<Program> Attach(AppFactory factory) =>
        factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => factory.AddInterceptor(services, this)));

    /// <summary>How many commands <paramref name="work"/> sent itself; the app's background work (jobs, timers) is not counted.</summary>
    public async Task<int> CountSentByAsync(Func<Task> work)
    {
        var flow = new object();
        await RunAsAsync(flow, work);
        return commands.Count(c => c.Flow == flow);
    }

    private static async Task RunAsAsync(object flow, Func<Task> work)
    {
        // Set inside this async method, the mark belongs to this work's flow only.
        CurrentFlow.Value = flow;
        await work();
    }

    /// <summary>The commands so far that carry <paramref name="value"/> as a parameter.</summary>
    public int CountWithParameter(string value) => commands.Count(c => c.Values.Contains(value, StringComparer.Ordinal));

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command) =>
        commands.Enqueue(new Command(command.CommandText,
            [.. command.Parameters.Cast<DbParameter>().Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")],
            CurrentFlow.Value));
}
