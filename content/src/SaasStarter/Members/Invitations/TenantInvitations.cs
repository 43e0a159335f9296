using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Email;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Plans;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Members.Invitations;

/// <summary>
/// Inviting people into the current tenant, resending and revoking invitations: the tenant side of invitations
/// (accepting is <see cref="InvitationAcceptance"/>). Everything here runs inside the tenant's query filter, so an
/// invitation of another tenant is "no longer there". A waiting invitation holds a seat of the plan's Members limit,
/// so inviting (and reviving an expired invitation) checks it, under the workspace's <see cref="LimitLock"/>.
/// </summary>
public sealed class TenantInvitations(
    AppDbContext db, ITenantContext tenant, AuditLog audit, InvitationEmail email, InvitationSettings settings,
    UserManager<AppUser> users, PlanLimitGuard limits, OutboxSignal outbox)
{
    private const string Gone = "That invitation is no longer open.";
    private static readonly EmailAddressAttribute EmailShape = new();

    /// <summary>The tenant's invitations still waiting for an answer (open or expired), newest first.</summary>
    public IQueryable<Invitation> Waiting() =>
        db.Invitations.Where(i => i.AcceptedAtUtc == null && i.RevokedAtUtc == null).OrderByDescending(i => i.CreatedAtUtc);

    /// <summary>Why <paramref name="address"/> cannot be invited as written, or null when it has the shape of an email.</summary>
    public static string? EmailProblem(string? address)
    {
        address = address?.Trim() ?? "";
        // A control character (NUL above all, which PostgreSQL cannot store) belongs in no address.
        return address.Length is 0 or > Invitation.MaxEmailLength || address.Any(char.IsControl) || !EmailShape.IsValid(address)
            ? "Enter a valid email address."
            : null;
    }

    /// <summary>How the invitation went, with the invitation when it was sent.</summary>
    public async Task<Outcome<Invitation>> InviteAsync(Guid actorId, string? address, TenantRole role)
    {
        if (Refusal(role) is { } refused) return Outcome<Invitation>.From(refused);
        if (EmailProblem(address) is { } problem) return Outcome<Invitation>.From(Outcome.Invalid("email", problem));
        address = address!.Trim();
        var normalized = users.NormalizeEmail(address);

        // From the first count to the last write: two invitations at once cannot both take the last seat.
        await using var held = await LimitLock.TakeAsync(db, tenant.Tenant!.Id);
        var isMember = await db.Memberships.Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.NormalizedEmail)
            .AnyAsync(e => e == normalized);
        if (isMember) return Outcome<Invitation>.From(Outcome.Refused($"{address} is already a member of this workspace."));

        var now = DateTime.UtcNow;
        var waiting = await Waiting().Where(i => i.NormalizedEmail == normalized).FirstOrDefaultAsync();
        if (waiting?.StateAt(now) == InvitationState.Open)
        {
            return Outcome<Invitation>.From(Outcome.Refused($"{address} already has an open invitation; resend it from the list if it went astray."));
        }
        // After the checks that name the address (more useful to hear), before anything is written.
        if (await limits.RefuseAsync(MembersModule.SeatLimit) is { } full) return Outcome<Invitation>.From(full);
        if (waiting is not null)
        {
            // An expired one makes way: at most one waiting invitation per address (a unique index holds that).
            waiting.RevokedAtUtc = now;
            await db.SaveChangesAsync();
        }

        var token = InvitationToken.New();
        var invitation = new Invitation
        {
            Email = address,
            NormalizedEmail = normalized,
            Role = role,
            TokenHash = InvitationToken.Hash(token),
            InvitedByUserId = actorId,
            ExpiresAtUtc = now + settings.ValidFor,
        };
        db.Invitations.Add(invitation);
        var actorEmail = await EmailOfAsync(actorId);
        audit.Add(MemberAudit.Invited, address, new { role = role.ToString() }, actorId, actorEmail);
        try
        {
            await email.SendAsync(invitation, token, tenant.Tenant!, actorEmail);
        }
        catch (DbUpdateException)
        {
            // Most likely another invitation for this address was saved a moment ago (two admins at once). PostgreSQL
            // takes nothing more in a transaction with a failed statement: roll it back before looking.
            await held.RollbackAsync();
            db.ChangeTracker.Clear();
            if (!await Waiting().AnyAsync(i => i.NormalizedEmail == normalized)) throw;
            return Outcome<Invitation>.From(Outcome.Refused($"{address} already has an open invitation."));
        }
        await CommitAsync(held);
        return invitation;
    }

    /// <summary>A new link (the old one stops working) valid for the full period again.</summary>
    public async Task<Outcome> ResendAsync(Guid actorId, Guid invitationId)
    {
        await using var held = await LimitLock.TakeAsync(db, tenant.Tenant!.Id);
        var invitation = await Waiting().SingleOrDefaultAsync(i => i.Id == invitationId);
        if (invitation is null) return Outcome.NotFound(Gone);
        if (Refusal(invitation.Role) is { } refused) return refused;
        // An open invitation keeps the seat it holds; an expired one gave it up, and sending it again takes one.
        if (invitation.StateAt(DateTime.UtcNow) != InvitationState.Open && await limits.RefuseAsync(MembersModule.SeatLimit) is { } full)
        {
            return full;
        }
        var token = InvitationToken.New();
        invitation.TokenHash = InvitationToken.Hash(token);
        invitation.ExpiresAtUtc = DateTime.UtcNow + settings.ValidFor;
        invitation.LastSentAtUtc = DateTime.UtcNow;
        invitation.SendCount++;
        var actorEmail = await EmailOfAsync(actorId);
        audit.Add(MemberAudit.InvitationResent, invitation.Email, new { role = invitation.Role.ToString() }, actorId, actorEmail);
        await email.SendAsync(invitation, token, tenant.Tenant!, actorEmail);
        await CommitAsync(held);
        return Outcome.Done;
    }

    public async Task<Outcome> RevokeAsync(Guid actorId, Guid invitationId)
    {
        var invitation = await Waiting().AsNoTracking().SingleOrDefaultAsync(i => i.Id == invitationId);
        if (invitation is null) return Outcome.NotFound(Gone);
        if (Refusal(invitation.Role) is { } refused) return refused;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Conditional, so an acceptance at the same moment wins or loses cleanly: never "revoked" after joining.
        var revoked = await db.Invitations
            .Where(i => i.Id == invitationId && i.AcceptedAtUtc == null && i.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAtUtc, DateTime.UtcNow));
        if (revoked == 0) return Outcome.NotFound(Gone);
        audit.Add(MemberAudit.InvitationRevoked, invitation.Email, new { role = invitation.Role.ToString() }, actorId, await EmailOfAsync(actorId));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return Outcome.Done;
    }

    /// <summary>Invitations follow the members rules: members.invite, and only an Owner brings in an Owner.</summary>
    private Outcome? Refusal(TenantRole role) =>
        !tenant.Can(MemberPermissions.Invite) ? Outcome.Refused("You cannot invite people here.")
        : role == TenantRole.Owner && tenant.MemberRole != TenantRole.Owner ? Outcome.Refused("Only an owner can invite owners.")
        : null;

    /// <summary>
    /// Commits the invitation with its email. The outbox woke delivery when it saved the email, inside this transaction
    /// and so possibly before delivery could see it: wake it again now that it can.
    /// </summary>
    private async Task CommitAsync(LimitLock held)
    {
        await held.CommitAsync();
        outbox.Poke();
    }

    private Task<string?> EmailOfAsync(Guid userId) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync();
}
