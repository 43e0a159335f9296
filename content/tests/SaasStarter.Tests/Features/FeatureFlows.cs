using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Audit;
using SaasStarter.Features;
using SaasStarter.Plans;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tenants;

namespace SaasStarter.Tests.Features;

/// <summary>What the feature tests do to a workspace from outside its pages: the operator's levers, and looking at the rows.</summary>
internal static class FeatureFlows
{
    /// <summary>Puts the workspace on <paramref name="planId"/> the way the operator's page (or a payment webhook) does.</summary>
    public static async Task OnPlanAsync(this AppFactory factory, CurrentTenant tenant, string planId)
    {
        var outcome = await factory.WithScopeAsync(sp => sp.GetRequiredService<PlanAssignment>().AssignAsync(tenant.Id, planId, "test"));
        Assert.True(outcome.Succeeded, $"assigning {planId}: {outcome}");
    }

    /// <summary>
    /// The workspace on the enterprise plan (no count limits) with every flag any module declares forced on by the operator,
    /// so every page and endpoint a flag gates is there, a module added later's included.
    /// </summary>
    public static async Task AllFeaturesOnAsync(this AppFactory factory, CurrentTenant tenant)
    {
        await factory.OnPlanAsync(tenant, "enterprise");
        foreach (var flag in factory.FeatureFlags) await factory.OperatorSetsAsync(tenant, flag, true);
    }

    /// <summary>The operator's override of <paramref name="feature"/> for the workspace (null clears it).</summary>
    public static async Task OperatorSetsAsync(this AppFactory factory, CurrentTenant tenant, string feature, bool? enabled)
    {
        var outcome = await factory.WithScopeAsync(sp => sp.GetRequiredService<FeatureSwitches>().SetOperatorAsync(tenant.Id, feature, enabled));
        Assert.True(outcome.Succeeded, outcome.Problem);
    }

    public static Task<List<FeatureOverride>> OverridesAsync(this AppFactory factory, CurrentTenant tenant) =>
        factory.InTenantAsync(tenant, db => db.FeatureOverrides.AsNoTracking().OrderBy(o => o.Source).ThenBy(o => o.Feature).ToListAsync());

    public static Task<List<AuditEvent>> EventsAsync(this AppFactory factory, CurrentTenant tenant, string action) =>
        factory.InTenantAsync(tenant, db => db.AuditEvents.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.OccurredAtUtc).ToListAsync());

    public static Task<Project> AddProjectAsync(this AppFactory factory, CurrentTenant tenant, string name, string? description = null,
        ProjectStatus status = ProjectStatus.Active) =>
        factory.InTenantAsync(tenant, async db =>
        {
            var project = new Project { Name = name, Description = description, Status = status };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            return project;
        });
}
