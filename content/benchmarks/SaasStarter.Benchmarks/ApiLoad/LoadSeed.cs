using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Accounts;
using SaasStarter.Api.Keys;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tenants;

using SaasStarter.ApiKeys;

namespace SaasStarter.Benchmarks.ApiLoad;

/// <summary>
/// The measured workspace, made through the app's own services as sign-up and the pages would: an owner, the workspace,
/// <see cref="Projects"/> projects (one page of the list) and a key with <c>projects.read</c>.
/// </summary>
internal static class LoadSeed
{
    public const int Projects = 20;

    public sealed record Seeded(CurrentTenant Workspace, string Key);

    public static async Task<Seeded> RunAsync(IServiceScopeFactory scopes)
    {
        Guid ownerId;
        CurrentTenant workspace;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var owner = new AppUser { UserName = "owner@load.example", Email = "owner@load.example", EmailConfirmed = true };
            Check(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(owner, "load test passphrase, not a secret"));
            ownerId = owner.Id;
            var founded = await scope.ServiceProvider.GetRequiredService<TenantFounding>().CreateAsync("Load Test", "load-test", ownerId);
            workspace = founded.Value ?? throw new InvalidOperationException($"No workspace: {founded.Problem}");
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(workspace, TenantRole.Owner);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Projects.AddRange(Enumerable.Range(1, Projects).Select(i => new Project
            {
                Name = $"Project {i:00}",
                Description = $"The {i}th project of the load test, with a description of typical length.",
            }));
            await db.SaveChangesAsync();
            var key = await scope.ServiceProvider.GetRequiredService<ApiKeyIssuer>()
                .CreateAsync(ownerId, "load test", [ProjectPermissions.Read], expiresInDays: null);
            return new Seeded(workspace, key.Value?.Key ?? throw new InvalidOperationException($"No key: {key.Problem}"));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
