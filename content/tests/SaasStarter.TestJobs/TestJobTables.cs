using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Quartz;

namespace SaasStarter.TestJobs;

/// <summary>
/// The test jobs' own tables and the queries the tests and benchmarks make of them and of the app's run history. The
/// harness creates the tables (as the database's owner: the app's role may not run DDL on PostgreSQL) once the app has
/// migrated; the jobs write them through the app's own connection. The SQL is the same on SQLite and PostgreSQL.
/// </summary>
public static class TestJobTables
{
    private static readonly string[] Create =
    [
        """
        CREATE TABLE IF NOT EXISTS test_job_attempts (
            effect_key VARCHAR(200) NOT NULL, fire_instance_id VARCHAR(200) NOT NULL,
            node VARCHAR(200) NOT NULL, recovering INTEGER NOT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS test_job_effects (effect_key VARCHAR(200) PRIMARY KEY, node VARCHAR(200) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS test_job_gates (effect_key VARCHAR(200) PRIMARY KEY)",
    ];

    /// <param name="appRole">PostgreSQL: the app's login role, granted what the jobs write; null on SQLite.</param>
    public static async Task CreateAsync(DbConnection owner, string? appRole)
    {
        foreach (var sql in Create) await ExecuteAsync(owner, sql);
        if (appRole is not null)
        {
            await ExecuteAsync(owner, $"GRANT SELECT, INSERT ON test_job_attempts, test_job_effects, test_job_gates TO \"{appRole}\"");
        }
    }

    public static Task OpenGateAsync(DbConnection connection, string key) =>
        ExecuteAsync(connection, "INSERT INTO test_job_gates (effect_key) VALUES (@key) ON CONFLICT (effect_key) DO NOTHING", ("@key", key));

    public static async Task<IReadOnlyList<Attempt>> AttemptsAsync(DbConnection connection, string keyPrefix)
    {
        var rows = new List<Attempt>();
        await using var command = Command(connection,
            "SELECT effect_key, fire_instance_id, node, recovering FROM test_job_attempts WHERE effect_key LIKE @prefix",
            ("@prefix", keyPrefix + "%"));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Attempt(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3) != 0));
        }
        return rows;
    }

    public static async Task<IReadOnlyList<Effect>> EffectsAsync(DbConnection connection, string keyPrefix)
    {
        var rows = new List<Effect>();
        await using var command = Command(connection, "SELECT effect_key, node FROM test_job_effects WHERE effect_key LIKE @prefix",
            ("@prefix", keyPrefix + "%"));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(new Effect(reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    /// <summary>The app's run history (JobRuns) of one job, oldest first.</summary>
    public static async Task<IReadOnlyList<Run>> RunsAsync(DbConnection connection, string jobName)
    {
        var rows = new List<Run>();
        await using var command = Command(connection, """
            SELECT "Node", "Outcome", "Recovering", "Attempt", "TriggerName", "ScheduledAtUtc", "StartedAtUtc", "EndedAtUtc", "TenantId"
            FROM "JobRuns" WHERE "JobName" = @job ORDER BY "StartedAtUtc"
            """, ("@job", jobName));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Run(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt32(3), reader.GetString(4),
                Utc(reader.GetDateTime(5)), Utc(reader.GetDateTime(6)), reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)),
                reader.IsDBNull(8) ? null : reader.GetGuid(8)));
        }
        return rows;
    }

    /// <summary>How many runs of <paramref name="jobName"/> have ended (one query, for polling thousands of runs).</summary>
    public static async Task<long> EndedRunsAsync(DbConnection connection, string jobName)
    {
        await using var command = Command(connection,
            """SELECT COUNT(*) FROM "JobRuns" WHERE "JobName" = @job AND "EndedAtUtc" IS NOT NULL""", ("@job", jobName));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Firings the job store has handed out and not seen end: what a recovery would run again.</summary>
    public static async Task<long> FiredTriggersAsync(DbConnection connection)
    {
        await using var command = Command(connection, "SELECT COUNT(*) FROM qrtz_fired_triggers");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The scheduler instances checked in to the cluster (PostgreSQL).</summary>
    public static async Task<IReadOnlyList<string>> ClusterNodesAsync(DbConnection connection)
    {
        var nodes = new List<string>();
        await using var command = Command(connection, "SELECT instance_name FROM qrtz_scheduler_state ORDER BY instance_name");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) nodes.Add(reader.GetString(0));
        return nodes;
    }

    internal static async Task RecordAttemptAsync(DatabaseFacade db, string key, IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var node = context.Scheduler.SchedulerInstanceId;
        var recovering = context.Recovering ? 1 : 0;
        await db.ExecuteSqlAsync($"INSERT INTO test_job_attempts (effect_key, fire_instance_id, node, recovering) VALUES ({key}, {context.FireInstanceId}, {node}, {recovering})",
            cancellationToken);
    }

    /// <summary>The effect: idempotent, so a firing run again (recovered, retried) leaves one row.</summary>
    internal static async Task RecordEffectAsync(DatabaseFacade db, string key, IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var node = context.Scheduler.SchedulerInstanceId;
        await db.ExecuteSqlAsync($"INSERT INTO test_job_effects (effect_key, node) VALUES ({key}, {node}) ON CONFLICT (effect_key) DO NOTHING",
            cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed SQL; values go in parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public sealed record Attempt(string Key, string FireInstanceId, string Node, bool Recovering);

    public sealed record Effect(string Key, string Node);

    public sealed record Run(string Node, string Outcome, bool Recovering, int Attempt, string TriggerName,
        DateTime ScheduledAtUtc, DateTime StartedAtUtc, DateTime? EndedAtUtc, Guid? TenantId);
}
