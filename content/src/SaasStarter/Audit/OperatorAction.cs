using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;

namespace SaasStarter.Audit;

/// <summary>
/// What the platform operator did to the platform itself, where no workspace's audit log can take it (pausing a job
/// whose schedule serves every workspace, running a platform job). Append-only, like <see cref="AuditEvent"/>; listed
/// on the platform audit page.
/// </summary>
public sealed class OperatorAction : IAppendOnly
{
    public const string JobRun = "operator.job_run";
    public const string JobRunForAll = "operator.job_run_all";
    public const string JobPaused = "operator.job_paused";
    public const string JobResumed = "operator.job_resumed";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTime OccurredAtUtc { get; init; } = DateTime.UtcNow;
    public required string Action { get; init; }
    public Guid? ActorUserId { get; init; }
    public string? ActorEmail { get; init; }
    public string? Target { get; init; }
    public string? IpAddress { get; init; }

    internal sealed class Configuration : IEntityTypeConfiguration<OperatorAction>
    {
        public void Configure(EntityTypeBuilder<OperatorAction> action)
        {
            action.ToTable("OperatorActions");
            action.Property(a => a.Action).HasMaxLength(64);
            action.Property(a => a.ActorEmail).HasMaxLength(256);
            action.Property(a => a.Target).HasMaxLength(256);
            action.Property(a => a.IpAddress).HasMaxLength(64);
            action.HasIndex(a => a.OccurredAtUtc);
        }
    }
}

public static class OperatorActionSet
{
    extension(AppDbContext db)
    {
        public DbSet<OperatorAction> OperatorActions => db.Set<OperatorAction>();
    }
}
