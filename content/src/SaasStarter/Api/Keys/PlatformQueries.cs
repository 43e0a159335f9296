using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;

namespace SaasStarter.Api.Keys;

/// <summary>The API's one query across tenants (<c>IgnoreQueryFilters</c> is allowed only in files named PlatformQueries.cs).</summary>
internal static class PlatformQueries
{
    /// <summary>
    /// The API key with this public id, in whichever tenant: authenticating an API request, which names no tenant but its
    /// key. On PostgreSQL a connection may read (not write) only the key whose public id it presents as <c>app.api_key</c>.
    /// </summary>
    public static IQueryable<ApiKey> ApiKeyByPublicId(this AppDbContext db, string publicId)
    {
        db.ApiKeyPublicId = publicId;
        return db.ApiKeys.IgnoreQueryFilters([TenantIsolation.FilterName]).Where(k => k.PublicId == publicId);
    }
}
