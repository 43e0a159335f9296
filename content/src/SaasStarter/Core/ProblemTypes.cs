namespace SaasStarter.Core;

/// <summary>
/// The <c>type</c> URIs of the app's own problems (RFC 9457), so a client can tell refusals of the same status apart: a
/// 403 for a missing scope from one for a suspended tenant or a full plan.
/// </summary>
public static class ProblemTypes
{
    public const string PlanLimit = "urn:problem-type:plan-limit";
    public const string MissingScope = "urn:problem-type:missing-scope";
    public const string TenantSuspended = "urn:problem-type:tenant-suspended";
    public const string RateLimited = "urn:problem-type:rate-limited";
    public const string IdempotencyKeyReused = "urn:problem-type:idempotency-key-reused";
}
