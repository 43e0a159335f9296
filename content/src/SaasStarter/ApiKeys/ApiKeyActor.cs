using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.ApiKeys;

/// <summary>Who an API request acts as, for the audit log: the key's creator, labelled with the key itself.</summary>
public sealed record ApiKeyActor(Guid UserId, string Label)
{
    /// <summary>The actor of the current request's key, e.g. <c>api key CRM sync (k3x9…)</c>; call only behind RequireApiKey().</summary>
    public static async Task<ApiKeyActor> OfAsync(ApiCaller caller, AppDbContext db, CancellationToken cancellationToken = default)
    {
        if (caller.KeyId is not { } keyId || caller.CreatedByUserId is not { } userId)
        {
            throw new InvalidOperationException("No API key authenticated this request.");
        }
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId)
            .Select(k => new { k.Name, k.PublicId }).SingleAsync(cancellationToken);
        return new ApiKeyActor(userId, $"api key {key.Name} ({key.PublicId})");
    }
}
