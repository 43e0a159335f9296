using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SaasStarter.Data;

/// <summary>
/// The one context of the app. Each provider has a sealed subclass only so that its migrations can live beside the other
/// provider's in this assembly; the model itself is defined here, once. It names no module's entities: each module keeps
/// its entity, its <c>IEntityTypeConfiguration</c> (found here by assembly scan) and a <c>DbSet</c> property of its own
/// (an extension property on this class, e.g. <c>db.Projects</c>; inside a query's lambda write <c>db.Set&lt;T&gt;()</c>).
/// What every row obeys is applied here to whatever the modules declare: tenant isolation (<see cref="ITenantOwned"/>),
/// versions (<see cref="IVersioned"/>) and append-only records (<see cref="IAppendOnly"/>).
/// </summary>
public abstract class AppDbContext(DbContextOptions options, TenantScope tenant)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>Read by every tenant query filter, per context instance; Guid.Empty (no rows) outside a tenant.</summary>
    internal Guid CurrentTenantId => tenant.TenantId ?? Guid.Empty;

    /// <summary>
    /// PostgreSQL row-level security: the user whose own memberships a platform query reads across tenants; sent as
    /// <c>app.user_id</c> when a connection opens (<see cref="SessionSettings"/>).
    /// </summary>
    internal Guid? MembershipsUserId { get; set; }

    /// <summary>
    /// PostgreSQL row-level security: the token hash of the invitation being accepted, read across tenants; sent as
    /// <c>app.invitation_token</c> when a connection opens.
    /// </summary>
    internal string? InvitationTokenHash { get; set; }

    /// <summary>
    /// PostgreSQL row-level security: the public id of the API key authenticating a request, read across tenants; sent as
    /// <c>app.api_key</c> when a connection opens.
    /// </summary>
    internal string? ApiKeyPublicId { get; set; }

    /// <summary>Why this context acts for the platform across tenants, or null; set only by Tenancy's PlatformBypass.</summary>
    internal string? PlatformBypassReason { get; set; }

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
        GuardChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void GuardChanges()
    {
        TenantIsolation.GuardChanges(this);
        AppendOnly.Guard(this);
        Versioning.Stamp(this);
    }
}
