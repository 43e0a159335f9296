namespace SaasStarter.Jobs;

/// <summary>
/// The work of a per-workspace job. It is resolved from a DI scope that already acts for one workspace (the same
/// <see cref="Tenancy.ITenantContext"/> a web request has), so its AppDbContext sees that workspace's rows only and,
/// on PostgreSQL, its connections carry the workspace for row-level security. Make it idempotent: a crash or a retry
/// runs it again.
/// </summary>
public interface ITenantJob
{
    Task RunAsync(CancellationToken cancellationToken);
}
