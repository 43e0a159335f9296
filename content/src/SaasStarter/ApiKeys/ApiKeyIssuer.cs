using Microsoft.EntityFrameworkCore;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Api.Keys;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.ApiKeys;

/// <summary>Creating and revoking the current tenant's keys (apikeys.manage); both audited.</summary>
public sealed class ApiKeyIssuer(AppDbContext db, ITenantContext tenant, AuditLog audit, ApiKeyDirectory directory, PermissionCatalog permissions)
{
    public static readonly int[] ExpiryChoicesInDays = [30, 90, 365];

    /// <summary>A new key: the whole key, shown once, and its row.</summary>
    public sealed record Created(string Key, ApiKey Row);

    public IQueryable<ApiKey> All() => db.ApiKeys.OrderByDescending(k => k.CreatedAtUtc);

    /// <summary>The scopes the current member may give a key: never more than they may do themselves.</summary>
    public IReadOnlyList<string> GrantableScopes() => [.. permissions.ApiScopes.Where(tenant.Can)];

    public async Task<Outcome<Created>> CreateAsync(Guid actorId, string? name, IReadOnlyCollection<string> scopes, int? expiresInDays)
    {
        if (!tenant.Can(ApiKeyPermissions.Manage)) return Refused("You cannot manage API keys here.");
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > ApiKey.MaxNameLength) return Refused($"Give the key a name of 1 to {ApiKey.MaxNameLength} characters.");
        if (name.Any(char.IsControl)) return Refused("Remove the control characters from the name.");
        if (scopes.Count == 0) return Refused("Choose at least one scope.");
        var grantable = GrantableScopes();
        if (scopes.FirstOrDefault(s => !grantable.Contains(s)) is { } beyond) return Refused($"You cannot give a key the scope '{beyond}'.");
        if (expiresInDays is { } days && !ExpiryChoicesInDays.Contains(days)) return Refused("Choose one of the offered expiry periods.");

        var (key, publicId, secretHash) = ApiKeySecret.New();
        var row = new ApiKey
        {
            Name = name,
            PublicId = publicId,
            SecretHash = secretHash,
            Scopes = string.Join(' ', scopes.Distinct().Order(StringComparer.Ordinal)),
            CreatedByUserId = actorId,
            ExpiresAtUtc = expiresInDays is { } d ? DateTime.UtcNow.AddDays(d) : null,
        };
        db.ApiKeys.Add(row);
        audit.Add(ApiKeyAudit.Created, name, new { id = publicId, scopes = row.ScopeList, expiresAtUtc = row.ExpiresAtUtc }, actorId);
        await db.SaveChangesAsync();
        return new Created(key, row);
    }

    public async Task<Outcome> RevokeAsync(Guid actorId, Guid keyId)
    {
        if (!tenant.Can(ApiKeyPermissions.Manage)) return Outcome.Refused("You cannot manage API keys here.");
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.RevokedAtUtc == null);
        if (key is null) return Outcome.Refused("That key is already revoked or gone.");
        await using var transaction = await db.Database.BeginTransactionAsync();
        var revoked = await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUtc, DateTime.UtcNow));
        if (revoked == 0) return Outcome.Refused("That key is already revoked or gone.");
        audit.Add(ApiKeyAudit.Revoked, key.Name, new { id = key.PublicId }, actorId);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        directory.Forget(key.PublicId);
        return Outcome.Done;
    }

    private static Outcome<Created> Refused(string problem) => Outcome<Created>.From(Outcome.Refused(problem));
}
