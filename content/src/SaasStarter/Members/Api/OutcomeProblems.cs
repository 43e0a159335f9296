using Microsoft.AspNetCore.Http.HttpResults;
using SaasStarter.Plans;

namespace SaasStarter.Members.Api;

/// <summary>
/// A refused <see cref="Outcome"/> of the members services as the API's problem: the service's own words as the
/// detail, 404 when the thing is not there (or is another tenant's), 403 plan-limit when the plan allows no more, 409
/// for a refusal by the rules. Problems go through the app's ProblemDetails service, which adds the traceId and the
/// problem+json content type.
/// </summary>
internal static class OutcomeProblems
{
    public static ProblemHttpResult For(Outcome outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status404NotFound, title: "Not found."),
        OutcomeKind.Invalid => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid."),
        OutcomeKind.PlanLimit => PlanLimitGuard.Problem(outcome.Problem!),
        _ => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict, title: "The change was refused."),
    };

    /// <summary>An Invalid outcome as a validation problem naming its field, as the API answers bad input.</summary>
    public static ValidationProblem Validation(Outcome outcome) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [outcome.Field ?? "request"] = [outcome.Problem!] });
}
