namespace SaasStarter.Core;

/// <summary>
/// How a change went: done (or nothing needed changing), or refused with the reason in words a page shows as they are.
/// The <see cref="Kind"/> tells the API which status to answer with; <c>Api/OutcomeProblems</c> maps it, in one place.
/// </summary>
public record Outcome(OutcomeKind Kind, string? Problem = null, string? Field = null)
{
    public bool Succeeded => Kind is OutcomeKind.Done or OutcomeKind.Unchanged;

    public static readonly Outcome Done = new(OutcomeKind.Done);

    /// <summary>It already was as asked: nothing was written (and nothing audited).</summary>
    public static readonly Outcome Unchanged = new(OutcomeKind.Unchanged);

    /// <summary>Against the rules or the current state (the last owner, already invited, not allowed here).</summary>
    public static Outcome Refused(string problem) => new(OutcomeKind.Refused, problem);

    /// <summary>What the change was about is not there (or belongs to another tenant, which is the same to the caller).</summary>
    public static Outcome NotFound(string problem) => new(OutcomeKind.NotFound, problem);

    /// <summary>An input was not acceptable; <paramref name="field"/> names it as the API's request does.</summary>
    public static Outcome Invalid(string field, string problem) => new(OutcomeKind.Invalid, problem, field);

    /// <summary>One more would go past a limit of the tenant's plan (the words name the limit and the plan).</summary>
    public static Outcome PlanLimit(string problem) => new(OutcomeKind.PlanLimit, problem);

    /// <summary>The caller's precondition (the version it read) no longer holds: someone changed it since.</summary>
    public static Outcome Stale(string problem) => new(OutcomeKind.Stale, problem);

    /// <summary>Others kept changing the same thing while this tried to save; trying again may work.</summary>
    public static Outcome Busy(string problem) => new(OutcomeKind.Busy, problem);
}

/// <summary>An <see cref="Outcome"/> that, when it succeeds, carries what was made or changed.</summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value = default, string? Problem = null, string? Field = null)
    : Outcome(Kind, Problem, Field)
{
    public static implicit operator Outcome<T>(T value) => new(OutcomeKind.Done, value);

    /// <summary>A refusal (or <see cref="Outcome.Unchanged"/>) as an outcome of this type.</summary>
    public static Outcome<T> From(Outcome outcome) => new(outcome.Kind, default, outcome.Problem, outcome.Field);
}

public enum OutcomeKind
{
    Done,
    Unchanged,
    Refused,
    NotFound,
    Invalid,
    PlanLimit,
    Stale,
    Busy,
}
