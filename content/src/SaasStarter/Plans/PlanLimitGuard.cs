using SaasStarter.Tenancy;

namespace SaasStarter.Plans;

/// <summary>
/// The point-of-use checks of the current workspace's limits: a message that names the limit and the plan when one more
/// would go past it, else null. Callers check before writing, so a refused action writes nothing.
/// </summary>
public sealed class PlanLimitGuard(ITenantContext tenant, PlanCatalog plans, WorkspaceUsage usage)
{
    public const string ProblemType = "urn:problem-type:plan-limit";

    private Plan Plan => plans.Of(tenant.Tenant?.PlanId);

    public async Task<string?> RefuseSeatAsync(CancellationToken cancellationToken = default) =>
        Plan.Limits.Members is { } limit && await usage.SeatsAsync(cancellationToken) >= limit
            ? $"The {Plan.Name} plan allows {limit} members, counting invitations not yet accepted. Revoke an invitation, remove a member or change plan to invite more."
            : null;

    public async Task<string?> RefuseProjectAsync(CancellationToken cancellationToken = default) =>
        Plan.Limits.Projects is { } limit && await usage.ProjectsAsync(cancellationToken) >= limit
            ? $"The {Plan.Name} plan allows {limit} projects. Delete one or change plan to create more."
            : null;
}
