using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// The explicit, audited way for platform-operator code to read and write across tenants on PostgreSQL, where
/// row-level security otherwise confines every connection to the current tenant. Each use names its reason and is
/// logged; it lasts until disposed and affects the connections this scope's context opens meanwhile. The EF query
/// filters still apply: lift them only in <see cref="PlatformQueries"/>.
/// </summary>
public sealed class PlatformBypass(AppDbContext db, ILogger<PlatformBypass> logger)
{
    public IDisposable Begin(string reason, Guid? operatorId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (db.PlatformBypassReason is not null)
        {
            throw new InvalidOperationException($"A platform bypass is already active ({db.PlatformBypassReason}).");
        }
        logger.LogWarning("Platform bypass of tenant isolation: {Reason} (operator {OperatorId})",
            reason, operatorId?.ToString() ?? "none");
        db.PlatformBypassReason = reason;
        return new End(db);
    }

    private sealed class End(AppDbContext db) : IDisposable
    {
        public void Dispose() => db.PlatformBypassReason = null;
    }
}
