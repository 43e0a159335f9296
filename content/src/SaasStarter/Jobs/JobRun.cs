using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;

namespace SaasStarter.Jobs;

public enum JobOutcome
{
    Running,
    Succeeded,
    /// <summary>Threw; <see cref="JobRun.RetryScheduled"/> says whether Quartz runs it again.</summary>
    Failed,
    /// <summary>Did nothing on purpose: its workspace is suspended or gone, or its feature is off there.</summary>
    Skipped,
    Cancelled,
    /// <summary>Its process died while it ran; the recovered run that followed has its own row.</summary>
    Interrupted,
}

/// <summary>
/// One execution of a job, recorded by <see cref="RunHistory"/> for every job: what ran, for which workspace, when, on
/// which node, and how it ended. Written by the platform (no workspace of its own), so not tenant-owned: a workspace's
/// page reads its own rows through <see cref="JobHistory.OfTenant"/>.
/// </summary>
public sealed class JobRun
{
    public const int ErrorMaxLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string JobName { get; init; }
    public Guid? TenantId { get; init; }
    /// <summary>The trigger that fired it: a schedule, a fan-out's run for one workspace, or someone's "run now".</summary>
    public required string TriggerName { get; init; }
    public required string FireInstanceId { get; init; }
    /// <summary>The scheduler instance that ran it (one per app process when clustered).</summary>
    public required string Node { get; init; }
    public DateTime ScheduledAtUtc { get; init; }
    public DateTime StartedAtUtc { get; init; }
    public DateTime? EndedAtUtc { get; set; }
    /// <summary>1 for the first run of a firing, n + 1 for its n-th retry.</summary>
    public int Attempt { get; init; }
    /// <summary>Who ran it by hand ("run now"), by email; null for scheduled runs.</summary>
    public string? RequestedBy { get; init; }
    /// <summary>A re-run after the process running it died (the job asked for recovery).</summary>
    public bool Recovering { get; init; }
    public JobOutcome Outcome { get; set; } = JobOutcome.Running;
    public bool RetryScheduled { get; set; }
    /// <summary>What went wrong (the exception's type and message) or why it was skipped.</summary>
    public string? Error { get; set; }

    internal sealed class Configuration : IEntityTypeConfiguration<JobRun>
    {
        public void Configure(EntityTypeBuilder<JobRun> run)
        {
            run.ToTable("JobRuns");
            run.Property(r => r.JobName).HasMaxLength(200);
            run.Property(r => r.TriggerName).HasMaxLength(300);
            run.Property(r => r.FireInstanceId).HasMaxLength(200);
            run.Property(r => r.Node).HasMaxLength(200);
            run.Property(r => r.RequestedBy).HasMaxLength(256);
            run.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
            run.Property(r => r.Error).HasMaxLength(ErrorMaxLength);
            run.HasIndex(r => new { r.TenantId, r.StartedAtUtc });
            run.HasIndex(r => r.StartedAtUtc);
            run.HasIndex(r => new { r.JobName, r.ScheduledAtUtc });
            run.HasIndex(r => r.FireInstanceId);
        }
    }
}

public static class JobRunSet
{
    extension(AppDbContext db)
    {
        public DbSet<JobRun> JobRuns => db.Set<JobRun>();
    }
}
