namespace SaasStarter.Plans;

/// <summary>
/// What a workspace's plan includes: the flags it decides (<see cref="Features"/>, on or off; a flag it does not name
/// keeps its configured default) and its limits. Defined in configuration (<c>Plans:Catalog</c>), never in code.
/// </summary>
public sealed record Plan(string Id, string Name, IReadOnlyDictionary<string, bool> Features, PlanLimits Limits);

/// <summary>A plan's limits; null is unlimited.</summary>
public sealed record PlanLimits(int? Members, int? Projects, int? ApiRequestsPerMinute, int? AuditRetentionDays)
{
    public static readonly PlanLimits None = new(null, null, null, null);
}
