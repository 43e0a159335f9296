using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Keys;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Audit;

/// <summary>
/// Writes audit events into the current tenant. <see cref="Add"/> only stages the event on the context, so it is
/// saved in the same transaction as the change it describes: a change without its event cannot happen.
/// </summary>
public sealed class AuditLog(AppDbContext db, IHttpContextAccessor http, IServiceScopeFactory scopes, ApiCaller apiCaller,
    AuditActionCatalog actions)
{
    /// <summary>
    /// Stages an event. The actor is the signed-in user unless given; in a request made with an API key it is always
    /// the key: its creator's id (unless given) and the key's label instead of any email, so the log never shows a
    /// person where an integration acted.
    /// </summary>
    public AuditEvent Add(string action, string? target = null, object? detail = null, Guid? actorUserId = null, string? actorEmail = null)
    {
        if (actions.Find(action) is null) throw new InvalidOperationException($"No module declares the audit action '{action}'.");
        var user = http.HttpContext?.User;
        var entry = new AuditEvent
        {
            Action = action,
            Target = Truncate(target, 256),
            ActorUserId = actorUserId ?? apiCaller.CreatedByUserId
                ?? (Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null),
            ActorEmail = Truncate(apiCaller.ActorLabel ?? actorEmail ?? user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name, 256),
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            Detail = detail is null ? null : Truncate(JsonSerializer.Serialize(detail, JsonSerializerOptions.Web), AuditEvent.MaxDetailLength),
        };
        db.AuditEvents.Add(entry);
        return entry;
    }

    /// <summary>
    /// An event about a user rather than a tenant (a sign-in), written into every tenant the user belongs to so
    /// each tenant's owners see it. Each tenant is written in a scope of its own, inside that tenant.
    /// </summary>
    public async Task AddForUserTenantsAsync(Guid userId, string email, string action, object? detail = null)
    {
        var tenants = await db.MembershipsOfUser(userId)
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (m, t) => t)
            .AsNoTracking()
            .ToListAsync();
        foreach (var tenant in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(tenant));
            scope.ServiceProvider.GetRequiredService<AuditLog>().Add(action, email, detail, userId, email);
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        }
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
