using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Tenancy;

/// <summary>
/// The signed-in user's tenants, read once per request: the navbar's switcher and the dashboard both show
/// them, and a page that renders both should not ask the database twice.
/// </summary>
public sealed class UserTenants(AppDbContext db)
{
    public sealed record Entry(string Name, string Slug, TenantRole Role);

    private (Guid UserId, Task<List<Entry>> List)? loaded;

    public Task<List<Entry>> OfAsync(Guid userId)
    {
        if (loaded is not { } known || known.UserId != userId)
        {
            known = (userId, LoadAsync(userId));
            loaded = known;
        }
        return known.List;
    }

    private Task<List<Entry>> LoadAsync(Guid userId) =>
        db.MembershipsOfUser(userId)
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (m, t) => new { t.Name, t.Slug, m.Role })
            .OrderBy(w => w.Name)
            .Select(w => new Entry(w.Name, w.Slug, w.Role))
            .ToListAsync();
}
