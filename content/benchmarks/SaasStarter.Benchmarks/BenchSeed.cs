using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Benchmarks;

/// <summary>
/// The data the pages are measured on: <see cref="Tenants"/> workspaces, each with an owner, and one of them, the big
/// one, with <see cref="BigTenantMembers"/> members in mixed roles. Written through the app's own context and
/// entities in one transaction, in seconds.
/// </summary>
public static class BenchSeed
{
    public const int Tenants = 10_000;
    public const int BigTenantMembers = 1_000;
    public const string BigTenantSlug = "big";
    public const string OwnerEmail = "owner@big.example";
    public const string Password = "benchmark passphrase, not a secret";

    /// <summary>Matches member-0100 … member-0199: a search with a hundred hits, four pages of them.</summary>
    public const string MemberSearch = "member-01";
    public const int MemberSearchMatches = 100;

    private const int BatchSize = 1_000;

    public sealed record Summary(int Tenants, int Users, int Memberships, TimeSpan Elapsed)
    {
        public override string ToString() =>
            $"seeded {Tenants:N0} workspaces, {Users:N0} users and {Memberships:N0} memberships in {Elapsed.TotalSeconds:0.0} s";
    }

    public static async Task<Summary> RunAsync(IServiceProvider services)
    {
        var clock = Stopwatch.StartNew();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Seeding is platform work across tenants. On PostgreSQL the bypass rides on the connection opened next, and
        // every save below shares that connection, so row-level security lets each workspace's rows in. On SQLite
        // it only logs. The app's own isolation check still applies: each workspace's rows are saved inside it.
        using var bypass = scope.ServiceProvider.GetRequiredService<PlatformBypass>()
            .Begin($"benchmark seed of {Tenants:N0} workspaces");
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var people = new People(scope.ServiceProvider);
        var workspaces = Workspaces(people).ToList();
        await InsertAsync(db, workspaces.Select(w => w.Tenant));
        await InsertAsync(db, workspaces.SelectMany(w => w.Members.Select(m => m.User)));
        foreach (var workspace in workspaces)
        {
            await SaveMembershipsAsync(services, workspace, db.Database.GetDbConnection(), transaction.GetDbTransaction());
        }
        await transaction.CommitAsync();

        var users = workspaces.Sum(w => w.Members.Count);
        return new Summary(workspaces.Count, users, users, clock.Elapsed);
    }

    private sealed record Workspace(Tenant Tenant, List<(AppUser User, TenantRole Role)> Members);

    private static IEnumerable<Workspace> Workspaces(People people)
    {
        var big = new Workspace(new Tenant { Name = "Big Workspace", Slug = BigTenantSlug }, [(people.Make(OwnerEmail), TenantRole.Owner)]);
        for (var i = 1; i < BigTenantMembers; i++)
        {
            big.Members.Add((people.Make($"member-{i:0000}@big.example"), RoleOf(i)));
        }
        yield return big;
        for (var i = 1; i < Tenants; i++)
        {
            yield return new Workspace(new Tenant { Name = $"Workspace {i:00000}", Slug = $"ws-{i:00000}" },
                [(people.Make($"owner-{i:00000}@example.com"), TenantRole.Owner)]);
        }
    }

    /// <summary>Mostly members, a tenth admins, some viewers and a few more owners.</summary>
    private static TenantRole RoleOf(int i) => i switch
    {
        _ when i % 100 == 0 => TenantRole.Owner,
        _ when i % 10 == 0 => TenantRole.Admin,
        _ when i % 4 == 0 => TenantRole.Viewer,
        _ => TenantRole.Member,
    };

    private static async Task InsertAsync<T>(AppDbContext db, IEnumerable<T> rows) where T : class
    {
        foreach (var batch in rows.Chunk(BatchSize))
        {
            db.Set<T>().AddRange(batch);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// A workspace's memberships, saved by a unit of work that entered the workspace, as a request to /t/{slug} would
    /// (the app stamps and checks their TenantId), on the seed's connection and transaction.
    /// </summary>
    private static async Task SaveMembershipsAsync(IServiceProvider services, Workspace workspace, DbConnection connection,
        DbTransaction transaction)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(workspace.Tenant));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Database.SetDbConnection(connection);
        await db.Database.UseTransactionAsync(transaction);
        db.Database.AutoSavepointsEnabled = false;
        db.Memberships.AddRange(workspace.Members.Select(m => new Membership { UserId = m.User.Id, Role = m.Role }));
        await db.SaveChangesAsync();
    }

    /// <summary>Confirmed accounts that can sign in, sharing one password hash: hashing is deliberately slow.</summary>
    private sealed class People(IServiceProvider services)
    {
        private readonly ILookupNormalizer normalizer = services.GetRequiredService<ILookupNormalizer>();
        private readonly string passwordHash = services.GetRequiredService<IPasswordHasher<AppUser>>().HashPassword(new AppUser(), Password);

        public AppUser Make(string email) => new()
        {
            UserName = email,
            NormalizedUserName = normalizer.NormalizeName(email),
            Email = email,
            NormalizedEmail = normalizer.NormalizeEmail(email),
            EmailConfirmed = true,
            PasswordHash = passwordHash,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
        };
    }
}
