namespace SaasStarter.Benchmarks;

/// <summary>A database of the benchmark's own, removed when disposed: SQLite by default, PostgreSQL when asked.</summary>
public abstract class BenchDatabase : IAsyncDisposable
{
    /// <summary>A connection string to a PostgreSQL server whose user may create databases and roles.</summary>
    public const string PostgresVariable = "SAASSTARTER_BENCH_POSTGRES";

    public abstract string Description { get; }

    /// <summary>The app's settings that point it at this database.</summary>
    public abstract IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<BenchDatabase> CreateAsync() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server
            ? await PostgresBenchDatabase.CreateAsync(server)
            : new SqliteBenchDatabase();

    /// <summary>After the seed: make the database what a live one would be by now, so plans do not change mid-run.</summary>
    public virtual Task SettleAsync() => Task.CompletedTask;

    /// <summary>An open connection as the database's owner (the jobs run reads the run history and creates its tables).</summary>
    public abstract Task<System.Data.Common.DbConnection> OpenOwnerAsync();

    /// <summary>PostgreSQL: the app's login role, which may not run DDL; null on SQLite.</summary>
    public virtual string? AppRole => null;

    public abstract ValueTask DisposeAsync();
}
