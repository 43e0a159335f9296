using Quartz;

namespace SaasStarter.Jobs;

/// <summary>
/// A job the app schedules: registered by its module with <see cref="JobsModule.AddPlatformJob{TJob}"/> or
/// <see cref="JobsModule.AddTenantJob{TWork}"/>, listed on the operator's jobs page.
/// </summary>
public sealed record JobDefinition(string Name, string Description)
{
    public const string Group = "app";

    /// <summary>Runs once per workspace (one firing each, never one loop across workspaces), else once for the platform.</summary>
    public bool PerTenant { get; init; }

    /// <summary>Quartz cron expression (seconds first), in UTC; null: only when triggered.</summary>
    public string? Cron { get; init; }

    /// <summary>Per-workspace jobs: the feature flag it needs; a workspace where it is off is skipped.</summary>
    public string? Feature { get; init; }

    /// <summary>Per-workspace jobs: its owners may run it now from the workspace's jobs page.</summary>
    public bool TenantTriggerable { get; init; }

    /// <summary>Run again after a crash of the process running it (the job is idempotent and must complete).</summary>
    public bool Recoverable { get; init; } = true;

    /// <summary>The job class Quartz runs.</summary>
    internal Type JobType { get; init; } = null!;

    public JobKey Key => new(Name, Group);

    /// <summary>The trigger of its <see cref="Cron"/> (a per-workspace job's fires the fan-out, so it is not among the job's own).</summary>
    public TriggerKey ScheduleKey => new($"{Name}.schedule", Group);
}
