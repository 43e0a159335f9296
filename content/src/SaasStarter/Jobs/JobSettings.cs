using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Jobs;

/// <summary>
/// The <c>Jobs</c> section: whether this instance runs jobs (<c>Enabled</c>; false: it only schedules them for the others),
/// how long the run history is kept, how failed runs are retried, and how often a clustered node checks in.
/// </summary>
public sealed record JobSettings(
    bool Enabled = true,
    [property: Range(1, 3650, ErrorMessage = "must be a whole number of days from {1} to {2}.")] int HistoryDays = 30,
    JobRetrySettings? Retry = null,
    JobClusterSettings? Cluster = null)
{
    public const string Section = "Jobs";

    public int MaxRetries => (Retry ?? new()).MaxAttempts;

    public TimeSpan FirstRetryDelay => TimeSpan.FromSeconds((Retry ?? new()).FirstDelaySeconds);

    public TimeSpan ClusterCheckin => TimeSpan.FromSeconds((Cluster ?? new()).CheckinSeconds);
}

/// <summary><c>Jobs:Retry</c>: attempts after a failed run, and the first wait (doubling up to an hour).</summary>
public sealed record JobRetrySettings(
    [property: Range(0, 20, ErrorMessage = "must be a whole number from {1} to {2}.")] int MaxAttempts = 3,
    [property: Range(1, 86_400, ErrorMessage = "must be a whole number of seconds from {1} to {2}.")] int FirstDelaySeconds = 30);

/// <summary><c>Jobs:Cluster</c> (PostgreSQL): how often each instance tells the cluster it is alive.</summary>
public sealed record JobClusterSettings(
    [property: Range(1, 300, ErrorMessage = "must be a whole number of seconds from {1} to {2}.")] int CheckinSeconds = 5);
