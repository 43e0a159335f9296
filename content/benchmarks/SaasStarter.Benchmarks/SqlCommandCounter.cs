using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SaasStarter.Benchmarks;

/// <summary>What one request sent to the database.</summary>
/// <param name="Commands">The SQL of every command EF Core executed, in order.</param>
/// <param name="ConnectionsOpened">
/// Connections EF Core opened. Each open also sends one statement of the app's own (its connection interceptors:
/// SQLite's busy timeout, PostgreSQL's tenant settings), not counted in <paramref name="Commands"/>.
/// </param>
public sealed record SqlTrace(IReadOnlyList<string> Commands, int ConnectionsOpened);

/// <summary>
/// Listens to EF Core's diagnostic events (no change to the app) and records the commands executed while
/// <see cref="RecordAsync"/> runs. Requests are sent one at a time, so whatever runs meanwhile is theirs.
/// </summary>
public sealed class SqlCommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Lock gate = new();
    private readonly List<IDisposable> subscriptions = [];
    private readonly IDisposable listeners;
    private List<string>? commands;
    private int opened;

    public SqlCommandCounter()
    {
        listeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public async Task<SqlTrace> RecordAsync(Func<Task> action)
    {
        var recorded = new List<string>();
        lock (gate) (commands, opened) = (recorded, 0);
        try
        {
            await action();
        }
        finally
        {
            lock (gate) commands = null;
        }
        return new SqlTrace(recorded, opened);
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != DbLoggerCategory.Name) return;
        lock (gate) subscriptions.Add(listener.Subscribe(this, IsCounted));
    }

    private static bool IsCounted(string name) =>
        name == RelationalEventId.CommandExecuted.Name || name == RelationalEventId.CommandError.Name
        || name == RelationalEventId.ConnectionOpened.Name;

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> e)
    {
        lock (gate)
        {
            if (commands is null) return;
            switch (e.Value)
            {
                case CommandEventData command:
                    commands.Add(command.Command.CommandText);
                    break;
                case ConnectionEventData:
                    opened++;
                    break;
            }
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    public void Dispose()
    {
        listeners.Dispose();
        lock (gate)
        {
            foreach (var subscription in subscriptions) subscription.Dispose();
            subscriptions.Clear();
        }
    }
}
