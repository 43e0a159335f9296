using Microsoft.AspNetCore.Http.HttpResults;
using SaasStarter.Core;

namespace SaasStarter.Api;

/// <summary>
/// A refused <see cref="Outcome"/> as the API's answer, in one place for every module: the service's own words as the
/// detail; 400 naming the field for bad input, 404 when the thing is not there (or is another tenant's), 403 plan-limit
/// when the plan allows no more, 412 when the version read is stale, 409 for a refusal by the rules or a busy write.
/// Problems go through the app's ProblemDetails service, which adds the traceId and the problem+json content type.
/// </summary>
public static class OutcomeProblems
{
    public static IResult For(Outcome outcome) => outcome.Kind == OutcomeKind.Invalid ? Validation(outcome) : Problem(outcome);

    /// <summary>An Invalid outcome as a validation problem naming its field, as the API answers bad input.</summary>
    public static ValidationProblem Validation(Outcome outcome) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [outcome.Field ?? "request"] = [outcome.Problem!] });

    /// <summary>A refusal that is not about the input's shape (every kind but <see cref="OutcomeKind.Invalid"/>).</summary>
    public static ProblemHttpResult Problem(Outcome outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status404NotFound, title: "Not found."),
        OutcomeKind.Invalid => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid."),
        OutcomeKind.PlanLimit => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status403Forbidden,
            title: "The plan's limit is reached.", type: ProblemTypes.PlanLimit),
        OutcomeKind.Stale => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status412PreconditionFailed,
            title: "It has changed since you read it."),
        OutcomeKind.Busy => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict,
            title: "It is being changed by others."),
        OutcomeKind.Done or OutcomeKind.Unchanged => throw new ArgumentException("A successful outcome is no problem.", nameof(outcome)),
        _ => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict, title: "The change was refused."),
    };
}
