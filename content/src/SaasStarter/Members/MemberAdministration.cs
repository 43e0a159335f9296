using System.Data;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api.Keys;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Members;

/// <summary>
/// Changes to who is in a tenant and with which role, with the rules that keep a tenant governable: it always
/// keeps at least one Owner, and only an Owner makes, unmakes or removes Owners. Every change runs in a
/// serializable transaction, so two Owners demoting each other at once cannot leave the tenant without one.
/// </summary>
public sealed class MemberAdministration(AppDbContext db, ITenantContext tenant, AuditLog audit, ApiKeyDirectory apiKeys)
{
    private const string NotFound = "That member is no longer in this workspace.";
    private const string LastOwner = "A workspace needs at least one owner: make someone else an owner first.";
    private const string OwnersOnly = "Only an owner can make, unmake or remove owners.";

    public Task<Outcome> ChangeRoleAsync(Guid actorId, Guid membershipId, TenantRole role) => InTransactionAsync(async () =>
    {
        if (!tenant.Can(MemberPermissions.Manage)) return Outcome.Refused("You cannot manage members here.");
        var target = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId);
        if (target is null) return Outcome.NotFound(NotFound);
        if (target.Role == role) return Outcome.Done;
        if ((target.Role == TenantRole.Owner || role == TenantRole.Owner) && tenant.MemberRole != TenantRole.Owner) return Outcome.Refused(OwnersOnly);
        if (target.Role == TenantRole.Owner && await OwnerCountAsync() == 1) return Outcome.Refused(LastOwner);
        audit.Add(MemberAudit.RoleChanged, await EmailOfAsync(target.UserId), new { from = target.Role.ToString(), to = role.ToString() },
            actorId, await EmailOfAsync(actorId));
        target.Role = role;
        await db.SaveChangesAsync();
        return Outcome.Done;
    });

    public Task<Outcome> RemoveAsync(Guid actorId, Guid membershipId) => InTransactionAsync(async () =>
    {
        if (!tenant.Can(MemberPermissions.Manage)) return Outcome.Refused("You cannot manage members here.");
        var target = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId);
        if (target is null) return Outcome.NotFound(NotFound);
        if (target.Role == TenantRole.Owner && tenant.MemberRole != TenantRole.Owner) return Outcome.Refused(OwnersOnly);
        if (target.Role == TenantRole.Owner && await OwnerCountAsync() == 1) return Outcome.Refused(LastOwner);
        audit.Add(MemberAudit.Removed, await EmailOfAsync(target.UserId), new { role = target.Role.ToString() },
            actorId, await EmailOfAsync(actorId));
        db.Memberships.Remove(target);
        await db.SaveChangesAsync();
        return Outcome.Done;
    });

    public Task<Outcome> LeaveAsync(Guid userId) => InTransactionAsync(async () =>
    {
        var own = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId);
        if (own is null) return Outcome.NotFound(NotFound);
        if (own.Role == TenantRole.Owner && await OwnerCountAsync() == 1) return Outcome.Refused(LastOwner);
        var email = await EmailOfAsync(userId);
        audit.Add(MemberAudit.Left, email, new { role = own.Role.ToString() }, userId, email);
        db.Memberships.Remove(own);
        await db.SaveChangesAsync();
        return Outcome.Done;
    });

    /// <summary>The acting Owner hands ownership to another member and stays on as an Admin.</summary>
    public Task<Outcome> TransferOwnershipAsync(Guid actorId, Guid toMembershipId) => InTransactionAsync(async () =>
    {
        var actor = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == actorId);
        if (actor?.Role != TenantRole.Owner) return Outcome.Refused("Only an owner can transfer ownership.");
        var target = await db.Memberships.SingleOrDefaultAsync(m => m.Id == toMembershipId);
        if (target is null) return Outcome.NotFound(NotFound);
        if (target.Id == actor.Id) return Outcome.Refused("You already own this workspace.");
        target.Role = TenantRole.Owner;
        actor.Role = TenantRole.Admin;
        audit.Add(MemberAudit.OwnershipTransferred, await EmailOfAsync(target.UserId), actorUserId: actorId, actorEmail: await EmailOfAsync(actorId));
        await db.SaveChangesAsync();
        return Outcome.Done;
    });

    private Task<string?> EmailOfAsync(Guid userId) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync();

    private Task<int> OwnerCountAsync() => db.Memberships.CountAsync(m => m.Role == TenantRole.Owner);

    private async Task<Outcome> InTransactionAsync(Func<Task<Outcome>> change)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable);
            var outcome = await change();
            if (outcome.Succeeded)
            {
                await transaction.CommitAsync();
                // A key never acts beyond its creator: what a creator just lost, their keys lose at once.
                apiKeys.ForgetAll();
            }
            return outcome;
        }
        catch (Exception e) when (IsConflict(e))
        {
            db.ChangeTracker.Clear();
            return Outcome.Refused("Someone changed the members at the same moment; look again and retry.");
        }
    }

    // PostgreSQL reports a serializable conflict as SQLSTATE 40001, wrapped by EF in one or two layers (at save or at
    // commit); SQLite serializes writers, so never gets here.
    private static bool IsConflict(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbUpdateConcurrencyException or Npgsql.PostgresException { SqlState: "40001" }) return true;
        }
        return false;
    }
}
