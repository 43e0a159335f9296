namespace SaasStarter.Members;

/// <summary>
/// How a change to a tenant's people went: done, or the reason it was refused, in words for the page. The kind of
/// refusal lets the API answer with the right status (a page only shows the words).
/// </summary>
public sealed record Outcome(string? Problem, OutcomeKind Kind = OutcomeKind.Refused, string? Field = null)
{
    public bool Succeeded => Problem is null;

    public static readonly Outcome Done = new((string?)null);

    /// <summary>What the change was about is not there (or belongs to another tenant, which is the same to the caller).</summary>
    public static Outcome Missing(string problem) => new(problem, OutcomeKind.NotFound);

    /// <summary>An input was not acceptable; <paramref name="field"/> names it as the API's request does.</summary>
    public static Outcome Invalid(string field, string problem) => new(problem, OutcomeKind.Invalid, field);

    /// <summary>The workspace's plan allows no more (<see cref="Plans.PlanLimitGuard"/>'s words).</summary>
    public static Outcome OverPlanLimit(string problem) => new(problem, OutcomeKind.PlanLimit);
}

public enum OutcomeKind
{
    /// <summary>Against the rules or the current state (last owner, already invited, not allowed).</summary>
    Refused,
    NotFound,
    Invalid,

    /// <summary>One more would go past a limit of the workspace's plan.</summary>
    PlanLimit,
}
