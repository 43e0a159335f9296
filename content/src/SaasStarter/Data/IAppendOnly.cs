using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

/// <summary>
/// A row written once and never changed or deleted by the app (an audit record). Saving refuses an update or a delete
/// of one (<see cref="AppendOnly.Guard"/>). <c>ExecuteDelete</c> bypasses SaveChanges: only retention may use it, on
/// purpose, and on PostgreSQL the app's role is limited further by grants and policies.
/// </summary>
public interface IAppendOnly;

internal static class AppendOnly
{
    public static void Guard(DbContext context)
    {
        if (context.ChangeTracker.Entries<IAppendOnly>().FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted) is { } entry)
        {
            throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} is append-only: it cannot be changed or deleted.");
        }
    }
}
