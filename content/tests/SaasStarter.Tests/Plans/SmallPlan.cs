using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Plans;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Core;
using SaasStarter.Tenants;
using SaasStarter.Api.Idempotency;
using SaasStarter.Audit;
using SaasStarter.Email;
using SaasStarter.Members.Invitations;

namespace SaasStarter.Tests.Plans;

/// <summary>The app whose default plan (Free) allows <see cref="Limit"/> members and <see cref="Limit"/> projects.</summary>
public sealed class SmallPlan<TFactory> : IAsyncLifetime where TFactory : AppFactory, new()
{
    public const int Limit = 3;

    public AppFactory Factory { get; } = new TFactory()
        .WithSetting("Plans:Catalog:0:Limits:Members", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithSetting("Plans:Catalog:0:Limits:Projects", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => Factory.DisposeAsync().AsTask();
}

/// <summary>What the limit tests look at: everything an invitation or a project writes, counted.</summary>
internal sealed record Written(int Invitations, int Members, int Projects, int AuditEvents, int OutboxEmails, int IdempotencyRecords)
{
    public static async Task<Written> InAsync(AppFactory factory, CurrentTenant tenant) =>
        await factory.InTenantAsync(tenant, async db => new Written(
            await db.Invitations.CountAsync(),
            await db.Memberships.CountAsync(),
            await db.Projects.CountAsync(),
            await db.AuditEvents.CountAsync(),
            await db.OutboxEmails.CountAsync(),
            await db.IdempotencyRecords.CountAsync()));
}

internal static class PlanWorlds
{
    /// <summary>Adds <paramref name="count"/> projects straight to the workspace, as if made earlier.</summary>
    public static Task SeedProjectsAsync(this MemberWorld world, int count) =>
        world.Factory.InTenantAsync(world.Tenant, async db =>
        {
            for (var i = 0; i < count; i++) db.Projects.Add(new Project { Name = $"Earlier {i}" });
            return await db.SaveChangesAsync();
        });

    /// <summary>Puts the workspace on <paramref name="planId"/> as the operator's page does.</summary>
    public static async Task AssignPlanAsync(this MemberWorld world, string planId)
    {
        var outcome = await world.Factory.WithScopeAsync(sp =>
            sp.GetRequiredService<PlanAssignment>().AssignAsync(world.Tenant.Id, planId, "test"));
        Assert.Equal(OutcomeKind.Done, outcome.Kind);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with <paramref name="key"/>; with <paramref name="race"/>, as one of its racers.</summary>
    public static async Task<HttpResponseMessage> PostJsonAsync(this AppFactory factory, KeyedApi.Key key, string path, object body,
        string? idempotencyKey = null, Race? race = null)
    {
        using var client = factory.ApiClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (race is not null) request.Headers.Add(RaceGate.Header, race.Id);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Asserts the API's plan-limit refusal (403, its problem type) and returns its detail.</summary>
    public static async Task<string> PlanLimitDetailAsync(this HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(403);
        Assert.Equal(ProblemTypes.PlanLimit, problem.GetProperty("type").GetString());
        return problem.GetProperty("detail").GetString()!;
    }

    public static async Task<bool> IsPlanLimitAsync(this HttpResponseMessage response)
    {
        if ((int)response.StatusCode != 403) return false;
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return problem.TryGetProperty("type", out var type) && type.GetString() == ProblemTypes.PlanLimit;
    }

    /// <summary>A scope acting for the workspace as its owner, with its context (what a request would use).</summary>
    public static AsyncServiceScope OwnerScope(this MemberWorld world, out AppDbContext db)
    {
        var scope = world.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(world.Tenant, TenantRole.Owner);
        db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return scope;
    }
}
