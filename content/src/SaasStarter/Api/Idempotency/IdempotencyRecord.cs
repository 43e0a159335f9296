using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SaasStarter.Api.Keys;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.Idempotency;

/// <summary>
/// The first response to a request sent with an <c>Idempotency-Key</c>, kept so that a repeat (same API key, same
/// key, same request) gets the same answer instead of doing the work again (<see cref="IdempotencyFilter"/>).
/// One per (tenant, API key, key): the unique index is what decides between two repeats that race.
/// Records older than <see cref="IdempotentRequests.Window"/> are ignored and replaced when their key comes back; the
/// daily data-retention job deletes the rest (the API module's retention rule).
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public const int MaxKeyLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required Guid ApiKeyId { get; init; }
    public required string Key { get; init; }

    /// <summary>SHA-256 (hex) of the method, path, query and body: a repeat with anything else is refused (422).</summary>
    public required string RequestHash { get; init; }

    public DateTime CreatedAtUtc { get; init; } = DateTime.UtcNow;

    // The response, written in the same transaction as the work it reports: no one ever sees a record without it.
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseBody { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("IdempotencyRecords");
        record.HasIndex(r => new { r.TenantId, r.ApiKeyId, r.Key }).IsUnique();
        // Retention deletes a tenant's expired records oldest first.
        record.HasIndex(r => new { r.TenantId, r.CreatedAtUtc });
        record.Property(r => r.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
        record.Property(r => r.RequestHash).HasMaxLength(64);
        record.Property(r => r.ContentType).HasMaxLength(256);
        record.Property(r => r.Location).HasMaxLength(2048);
        record.Property(r => r.ETag).HasMaxLength(256);
        record.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        record.HasOne<ApiKey>().WithMany().HasForeignKey(r => r.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class IdempotencyRecordSet
{
    extension(AppDbContext db)
    {
        public DbSet<IdempotencyRecord> IdempotencyRecords => db.Set<IdempotencyRecord>();
    }
}
