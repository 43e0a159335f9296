using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Plans;

/// <summary>
/// What the current workspace uses of its plan's limits, counted when asked: each is one COUNT on an index that starts
/// with TenantId, so cheap at any size, and never stale (no counter to keep in step). Seats count members and the
/// invitations still waiting, so a workspace cannot invite past its limit and then accept them all.
/// </summary>
public sealed class WorkspaceUsage(AppDbContext db)
{
    public async Task<int> SeatsAsync(CancellationToken cancellationToken = default) =>
        await db.Memberships.CountAsync(cancellationToken)
        + await db.Invitations.CountAsync(i => i.AcceptedAtUtc == null && i.RevokedAtUtc == null && i.ExpiresAtUtc > DateTime.UtcNow, cancellationToken);

    public Task<int> ProjectsAsync(CancellationToken cancellationToken = default) => db.Projects.CountAsync(cancellationToken);
}
