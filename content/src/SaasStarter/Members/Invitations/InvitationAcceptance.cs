using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Members.Invitations;

/// <summary>
/// Accepting an invitation from its link, by a user who is not (yet) a member. The invitation is found by its
/// token's hash alone (<see cref="PlatformQueries.InvitationByTokenHash"/>); joining then happens inside its tenant,
/// under the same isolation as any tenant write. The invitation is claimed by one conditional UPDATE first, so two
/// accepts at once (two tabs, a double click, a forwarded link) make one membership.
/// </summary>
public sealed class InvitationAcceptance(AppDbContext db, TenantContext context, AuditLog audit, UserManager<AppUser> users)
{
    /// <summary>What the link's holder may learn about the invitation.</summary>
    public sealed record Found(Guid Id, CurrentTenant Tenant, string Email, string NormalizedEmail, TenantRole Role,
        InvitationState State, DateTime ExpiresAtUtc, string? InvitedBy);

    /// <summary>The invitation behind a link, or null for a token that never existed (or was replaced by a resend).</summary>
    public async Task<Found?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!InvitationToken.IsWellFormed(token)) return null;
        var row = await db.InvitationByTokenHash(InvitationToken.Hash(token!))
            .Join(db.Tenants, i => i.TenantId, t => t.Id, (i, t) => new
            {
                Invitation = i,
                Tenant = t,
                InvitedBy = db.Users.Where(u => u.Id == i.InvitedByUserId).Select(u => u.Email).FirstOrDefault(),
            })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var i = row.Invitation;
        return new Found(i.Id, CurrentTenant.Of(row.Tenant), i.Email, i.NormalizedEmail, i.Role, i.StateAt(DateTime.UtcNow),
            i.ExpiresAtUtc, row.InvitedBy);
    }

    /// <summary>Whether <paramref name="user"/> is the person invited: the signed-in email must be the invited one.</summary>
    public bool IsFor(Found invitation, AppUser user) => users.NormalizeEmail(user.Email) == invitation.NormalizedEmail;

    /// <summary>A signed-in user whose email matches joins with the invited role.</summary>
    public Task<Outcome> AcceptAsync(Found invitation, AppUser user) =>
        !IsFor(invitation, user)
            ? Task.FromResult(Outcome.Refused($"This invitation is for {invitation.Email}; you are signed in as {user.Email}."))
            : JoinAsync(invitation, user.Id, () => Task.FromResult<IdentityResult?>(null));

    /// <summary>
    /// Someone without an account: the account (for the invited email, confirmed, since the link reached that
    /// inbox) is created in the same transaction as the membership, so a refused join leaves no account behind.
    /// </summary>
    public async Task<(Outcome Outcome, AppUser? User, IdentityResult? Account)> AcceptAsNewUserAsync(Found invitation, string password)
    {
        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            return (Outcome.Refused("An account with this email already exists: sign in to accept."), null, null);
        }
        var user = new AppUser { Id = Guid.CreateVersion7(), UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true };
        IdentityResult? created = null;
        var outcome = await JoinAsync(invitation, user.Id, async () => created = await users.CreateAsync(user, password));
        return (outcome, outcome.Succeeded ? user : null, created);
    }

    private async Task<Outcome> JoinAsync(Found invitation, Guid userId, Func<Task<IdentityResult?>> createAccount)
    {
        if (invitation.State != InvitationState.Open) return Outcome.Refused(Explain(invitation.State));
        if (invitation.Tenant.IsSuspended) return Outcome.Refused("This workspace is suspended; it cannot take new members now.");
        // Entered before the transaction opens its connection: PostgreSQL's row-level security reads the tenant then.
        context.Enter(invitation.Tenant);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var claimed = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAtUtc == null && i.RevokedAtUtc == null && i.ExpiresAtUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAtUtc, now).SetProperty(i => i.AcceptedByUserId, userId));
        if (claimed == 0)
        {
            var state = await db.Invitations.Where(i => i.Id == invitation.Id).Select(i => new { i.AcceptedAtUtc, i.RevokedAtUtc })
                .SingleOrDefaultAsync();
            return Outcome.Refused(Explain(state?.AcceptedAtUtc is not null ? InvitationState.Used
                : state?.RevokedAtUtc is not null ? InvitationState.Revoked : InvitationState.Expired));
        }
        if (await createAccount() is { Succeeded: false })
        {
            await transaction.RollbackAsync();
            return Outcome.Refused("The account could not be created.");
        }
        if (!await db.Memberships.AnyAsync(m => m.UserId == userId))
        {
            db.Memberships.Add(new Membership { UserId = userId, Role = invitation.Role });
            audit.Add(MemberAudit.Joined, invitation.Email, new { role = invitation.Role.ToString(), invitedBy = invitation.InvitedBy },
                userId, invitation.Email);
            await db.SaveChangesAsync();
        }
        await transaction.CommitAsync();
        return Outcome.Done;
    }

    public static string Explain(InvitationState state) => state switch
    {
        InvitationState.Expired => "This invitation has expired. Ask whoever invited you to send a new one.",
        InvitationState.Revoked => "This invitation was withdrawn. Ask the workspace's admins if you still need access.",
        InvitationState.Used => "This invitation has already been used. Sign in to open the workspace.",
        _ => "",
    };
}
