using Microsoft.AspNetCore.Http.HttpResults;
using SaasStarter.Tenancy;

namespace SaasStarter.Plans;

/// <summary>
/// The point-of-use checks of the current workspace's limits: a message that names the limit and the plan when one more
/// would go past it, else null. Callers check before writing, so a refused action writes nothing, and inside a
/// <see cref="LimitLock"/>, so two actions at once cannot both pass at N-1.
/// </summary>
public sealed class PlanLimitGuard(ITenantContext tenant, PlanCatalog plans, WorkspaceUsage usage)
{
    public const string ProblemType = "urn:problem-type:plan-limit";

    /// <summary>
    /// A refusal as the API's problem: 403, as the workspace is not entitled to one more (the request itself is fine, and
    /// sending it again changes nothing until someone frees room or changes plan); the type tells it from a missing scope.
    /// </summary>
    public static ProblemHttpResult Problem(string refusal) =>
        TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "The plan's limit is reached.", type: ProblemType);

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
