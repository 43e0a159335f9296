using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.Keys;

/// <summary>
/// A tenant's key for /api/v1. The secret is shown once, at creation; only its SHA-256 is stored. The public id
/// (part of the key) finds the row; the hash proves the rest. A key acts within its tenant with its scopes, and
/// never beyond what its creator may still do there.
/// </summary>
public sealed class ApiKey : ITenantOwned
{
    public const int MaxNameLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; init; }
    public required string PublicId { get; init; }
    public required string SecretHash { get; init; }

    /// <summary>Permission names (declared in the PermissionCatalog as API scopes), space-separated.</summary>
    public required string Scopes { get; init; }

    public required Guid CreatedByUserId { get; init; }
    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;
    public DateTime? ExpiresAtUtc { get; init; }
    public DateTime? RevokedAtUtc { get; set; }

    /// <summary>Written at most once a minute per key (<see cref="ApiKeyUsage"/>), never on every request.</summary>
    public DateTime? LastUsedAtUtc { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("ApiKeys");
        key.HasIndex(k => k.PublicId).IsUnique();
        key.HasIndex(k => new { k.TenantId, k.CreatedAtUtc });
        key.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength);
        key.Property(k => k.PublicId).HasMaxLength(ApiKeySecret.PublicIdLength);
        key.Property(k => k.SecretHash).HasMaxLength(64);
        key.Property(k => k.Scopes).HasMaxLength(400);
        key.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
        key.HasOne<AppUser>().WithMany().HasForeignKey(k => k.CreatedByUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class ApiKeySet
{
    extension(AppDbContext db)
    {
        public DbSet<ApiKey> ApiKeys => db.Set<ApiKey>();
    }
}
