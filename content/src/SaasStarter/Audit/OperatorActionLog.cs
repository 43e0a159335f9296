using System.Security.Claims;
using SaasStarter.Data;

namespace SaasStarter.Audit;

/// <summary>Records an <see cref="OperatorAction"/> of the signed-in operator, saved at once.</summary>
public sealed class OperatorActionLog(AppDbContext db, IHttpContextAccessor http)
{
    public async Task RecordAsync(string action, string? target, CancellationToken cancellationToken = default)
    {
        var user = http.HttpContext?.User;
        db.OperatorActions.Add(new OperatorAction
        {
            Action = action,
            Target = target,
            ActorUserId = Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
            ActorEmail = user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
