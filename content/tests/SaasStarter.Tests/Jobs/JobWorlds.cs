using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Api.Idempotency;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Members.Invitations;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;
using SaasStarter.Api.Keys;

namespace SaasStarter.Tests.Jobs;

/// <summary>What the job tests put into a workspace, as if written long ago, and what they count afterwards.</summary>
internal static class JobWorlds
{
    public const string OldAction = "test.old";
    public const string RecentAction = "test.recent";

    /// <summary><paramref name="count"/> audit events that happened <paramref name="age"/> ago.</summary>
    public static Task AddAuditEventsAsync(this MemberWorld world, int count, TimeSpan age, string action) =>
        world.Factory.InTenantAsync(world.Tenant, async db =>
        {
            var at = DateTime.UtcNow - age;
            for (var i = 0; i < count; i++) db.AuditEvents.Add(new AuditEvent { Action = action, OccurredAtUtc = at.AddSeconds(-i) });
            return await db.SaveChangesAsync();
        });

    public static Task<int> CountEventsAsync(this MemberWorld world, string action) =>
        world.Factory.InTenantAsync(world.Tenant, db => db.AuditEvents.CountAsync(e => e.Action == action));

    /// <summary>An idempotency record of a key of the workspace, made <paramref name="age"/> ago; returns its key.</summary>
    public static async Task<string> AddIdempotencyRecordAsync(this MemberWorld world, TimeSpan age)
    {
        var key = await world.CreateKeyAsync([ProjectPermissions.Read], name: $"key {Guid.NewGuid():N}"[..12]);
        var idempotencyKey = $"idem-{Guid.NewGuid():N}";
        await world.Factory.InTenantAsync(world.Tenant, async db =>
        {
            var apiKeyId = await db.ApiKeys.Where(k => k.PublicId == key.PublicId).Select(k => k.Id).SingleAsync();
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                ApiKeyId = apiKeyId, Key = idempotencyKey, RequestHash = new string('a', 64), CreatedAtUtc = DateTime.UtcNow - age, StatusCode = 201,
            });
            return await db.SaveChangesAsync();
        });
        return idempotencyKey;
    }

    public static Task<List<string>> IdempotencyKeysAsync(this MemberWorld world) =>
        world.Factory.InTenantAsync(world.Tenant, db => db.IdempotencyRecords.Select(r => r.Key).OrderBy(k => k).ToListAsync());

    /// <summary>An invitation to a fresh address, saved with the given dates (null: not accepted / not revoked).</summary>
    public static Task<Guid> AddInvitationAsync(this MemberWorld world, TimeSpan expiredAgo, DateTime? revokedAtUtc = null, DateTime? acceptedAtUtc = null) =>
        world.Factory.InTenantAsync(world.Tenant, async db =>
        {
            var email = AccountFlows.UniqueEmail("invitee");
            var invitation = new Invitation
            {
                Email = email, NormalizedEmail = email.ToUpperInvariant(), Role = TenantRole.Member,
                TokenHash = InvitationToken.Hash(InvitationToken.New()), ExpiresAtUtc = DateTime.UtcNow - expiredAgo,
                RevokedAtUtc = revokedAtUtc, AcceptedAtUtc = acceptedAtUtc,
            };
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
            return invitation.Id;
        });

    public static Task<List<Guid>> InvitationIdsAsync(this MemberWorld world) =>
        world.Factory.InTenantAsync(world.Tenant, db => db.Invitations.Select(i => i.Id).OrderBy(i => i).ToListAsync());

    /// <summary>Suspends the workspace as the operator does (its row, then the directory's cache).</summary>
    public static Task SuspendAsync(this MemberWorld world) =>
        world.Factory.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AppDbContext>().Tenants.Where(t => t.Id == world.Tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SuspendedAtUtc, DateTime.UtcNow));
            sp.GetRequiredService<TenantDirectory>().Forget(world.Tenant.Slug);
            return 0;
        });
}
