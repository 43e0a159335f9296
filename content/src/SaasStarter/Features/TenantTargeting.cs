using Microsoft.FeatureManagement.FeatureFilters;
using SaasStarter.Plans;
using SaasStarter.Tenancy;

namespace SaasStarter.Features;

/// <summary>
/// Who the library's targeting filter sees: the workspace. Its id is the targeting user, so a rollout percentage picks
/// whole workspaces (everyone in one, its API keys and its jobs see the same), and its groups are
/// <c>workspace:{slug}</c> (allow-lists) and <c>plan:{id}</c> (plan rules). Outside a workspace: nobody, no groups.
/// </summary>
public sealed class TenantTargeting(ITenantContext tenant, PlanCatalog plans) : ITargetingContextAccessor
{
    public const string WorkspaceGroupPrefix = "workspace:";
    public const string PlanGroupPrefix = "plan:";

    public ValueTask<TargetingContext> GetContextAsync() => ValueTask.FromResult(tenant.Tenant is { } current
        ? new TargetingContext
        {
            UserId = current.Id.ToString(),
            Groups = [WorkspaceGroupPrefix + current.Slug, PlanGroupPrefix + plans.Of(current.PlanId).Id],
        }
        : new TargetingContext { Groups = [] });
}
