using System.Buffers.Binary;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SaasStarter.Data;

namespace SaasStarter.Plans;

/// <summary>
/// Makes "count, then insert if under the limit" safe against a second request doing the same at the same moment: two
/// creates at N-1 would otherwise both count N-1 and both insert. Take it before <see cref="PlanLimitGuard"/> counts, write,
/// then <see cref="CommitAsync"/>; the lock lasts until the transaction ends. Per workspace, so other workspaces never wait.
/// <list type="bullet">
/// <item>PostgreSQL: a transaction-scoped advisory lock on the workspace's id. A second request waits at the lock and then
/// counts (read committed: a fresh snapshot for each statement) what the first committed. It needs no privilege and locks
/// no row, so readers and other writes of the workspace carry on.</item>
/// <item>SQLite: one writer at a time for the whole file. EF's transactions there are <c>BEGIN IMMEDIATE</c>, which takes
/// the write lock at once, so the count already runs as the only writer; the second waits (busy timeout) at BEGIN.</item>
/// </list>
/// When the context is already in a transaction (the idempotency filter's), the lock joins it and its owner commits.
/// </summary>
public sealed class LimitLock : IAsyncDisposable
{
    /// <summary>The first key of the two-key advisory lock: this app's limit locks, apart from any other advisory lock.</summary>
    private const int LockSpace = 0x504C414E; // "PLAN"

    private readonly IDbContextTransaction? owned;

    private LimitLock(IDbContextTransaction? owned) => this.owned = owned;

    public static async Task<LimitLock> TakeAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken = default)
    {
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (db.Database.IsNpgsql())
            {
                var key = KeyOf(tenantId);
                await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({LockSpace}, {key})", cancellationToken);
            }
            return new LimitLock(owned);
        }
        catch
        {
            if (owned is not null) await owned.DisposeAsync();
            throw;
        }
    }

    /// <summary>Commits what was written under the lock (and so releases it), unless an enclosing transaction's owner will.</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        owned?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Gives up what was written under the lock, e.g. after a failed save (PostgreSQL refuses anything more in that transaction).</summary>
    public Task RollbackAsync(CancellationToken cancellationToken = default) =>
        owned?.RollbackAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Without a commit, rolls back: a refused or failed create leaves nothing behind.</summary>
    public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The workspace's 32-bit lock key: its id's halves folded together. Two workspaces that share a key only wait for
    /// each other now and then; neither can ever pass a limit.
    /// </summary>
    internal static int KeyOf(Guid tenantId)
    {
        Span<byte> bytes = stackalloc byte[16];
        tenantId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes)
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[4..])
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[8..])
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
    }
}
