using System.Text.RegularExpressions;
using SaasStarter.Data;

namespace SaasStarter.Plans;

/// <summary>
/// A limit a module declares, for each plan to set under <c>Plans:Catalog:N:Limits:{Name}</c> (a plan that leaves it out
/// has no such limit). <see cref="Title"/> labels it on the plan pages; <see cref="Unit"/> follows the number there and in a
/// refusal: "The Free plan allows 25 projects."
/// </summary>
public sealed partial record PlanLimit(string Name, string Title, string Unit)
{
    /// <summary>
    /// A count limit: how many the current tenant has, counted in its scope (its query filter applies). Null for a limit
    /// that counts nothing of its own (a rate, a retention period): the module reads the value and enforces it itself.
    /// </summary>
    public Func<AppDbContext, CancellationToken, Task<int>>? Usage { get; init; }

    /// <summary>What the limit covers, in a sentence for the plan pages.</summary>
    public string? Note { get; init; }

    /// <summary>Added to a refusal: what a member can do about it.</summary>
    public string? WhenReached { get; init; }

    /// <summary>The limit's name in pages' element ids and data attributes: <c>ApiRequestsPerMinute</c> → <c>api-requests-per-minute</c>.</summary>
    public string Id => Words().Replace(Name, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex Words();
}

public static class PlanLimitDeclarations
{
    public static WebApplicationBuilder AddPlanLimit(this WebApplicationBuilder builder, PlanLimit limit)
    {
        builder.Services.AddSingleton(limit);
        return builder;
    }
}
