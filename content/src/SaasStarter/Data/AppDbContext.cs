using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Api.Idempotency;
using SaasStarter.ApiKeys;
using SaasStarter.Accounts.Email;
using SaasStarter.Audit;
using SaasStarter.Members.Invitations;
using SaasStarter.Features;
using SaasStarter.Jobs;
using SaasStarter.Projects;
using SaasStarter.Tenancy;

namespace SaasStarter.Data;

/// <summary>
/// The one context of the app. Each provider has a sealed subclass only so that its migrations can live
/// beside the other provider's in this assembly; the model itself is defined here, once.
/// </summary>
public abstract class AppDbContext(DbContextOptions options, ITenantContext tenant)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>Read by every tenant query filter, per context instance; Guid.Empty (no rows) outside a tenant.</summary>
    internal Guid CurrentTenantId => tenant.Tenant?.Id ?? Guid.Empty;

    /// <summary>
    /// PostgreSQL row-level security: the user whose memberships <see cref="PlatformQueries.MembershipsOfUser"/> reads
    /// across tenants; sent as <c>app.user_id</c> when a connection opens (<see cref="TenantConnectionSettings"/>).
    /// </summary>
    internal Guid? MembershipsUserId { get; set; }

    /// <summary>
    /// PostgreSQL row-level security: the token hash of the invitation <see cref="PlatformQueries.InvitationByTokenHash"/>
    /// reads across tenants; sent as <c>app.invitation_token</c> when a connection opens.
    /// </summary>
    internal string? InvitationTokenHash { get; set; }

    /// <summary>
    /// PostgreSQL row-level security: the public id of the API key <see cref="PlatformQueries.ApiKeyByPublicId"/> reads
    /// across tenants; sent as <c>app.api_key</c> when a connection opens.
    /// </summary>
    internal string? ApiKeyPublicId { get; set; }

    /// <summary>Why this context acts for the platform across tenants, or null; set only by <see cref="PlatformBypass"/>.</summary>
    internal string? PlatformBypassReason { get; set; }

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<TenantSlugAlias> TenantSlugAliases => Set<TenantSlugAlias>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<OperatorAction> OperatorActions => Set<OperatorAction>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<FeatureOverride> FeatureOverrides => Set<FeatureOverride>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();

    public DbSet<JobRun> JobRuns => Set<JobRun>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        TenantIsolation.ApplyQueryFilters(builder, this);
        Versioning.ApplyConcurrencyTokens(builder);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TenantIsolation.GuardChanges(this);
        AuditLog.GuardAppendOnly(this);
        Versioning.Stamp(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TenantIsolation.GuardChanges(this);
        AuditLog.GuardAppendOnly(this);
        Versioning.Stamp(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
