namespace SaasStarter.Plans;

/// <summary>
/// What a tenant's plan includes: the flags it decides (<see cref="Features"/>, on or off; a flag it does not name keeps
/// its configured default) and its limits by name (<see cref="PlanLimit"/>; one it does not name is unlimited). Defined
/// in configuration (<c>Plans:Catalog</c>), never in code.
/// </summary>
public sealed record Plan(string Id, string Name, IReadOnlyDictionary<string, bool> Features, IReadOnlyDictionary<string, int> Limits)
{
    /// <summary>The plan's value of the limit <paramref name="name"/>; null is no limit.</summary>
    public int? Limit(string name) => Limits.TryGetValue(name, out var value) ? value : null;
}
