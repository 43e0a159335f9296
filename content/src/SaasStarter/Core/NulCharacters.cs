using System.ComponentModel.DataAnnotations;

namespace SaasStarter.Core;

/// <summary>
/// The NUL character (U+0000) is refused in input: PostgreSQL cannot store it in text, so a name or a search term with
/// one failed as a 500 there (SQLite kept it), and no name, email or search term needs it.
/// </summary>
public static class NulCharacters
{
    public const string Message = "Remove the NUL character (\\u0000): text cannot contain it.";

    public static bool In(string? text) => text?.Contains('\0', StringComparison.Ordinal) == true;

    /// <summary>An endpoint filter for the API: a query value with a NUL gets a 400 validation problem naming the parameter.</summary>
    public static ValueTask<object?> RefuseInQueryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = context.HttpContext.Request.Query
            .Where(q => q.Value.Any(In))
            .ToDictionary(q => q.Key, _ => new[] { Message });
        return errors.Count > 0 ? ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors)) : next(context);
    }
}

/// <summary>Refuses a string with a NUL character (see <see cref="NulCharacters"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class NoNulCharacterAttribute() : ValidationAttribute(NulCharacters.Message)
{
    public override bool IsValid(object? value) => value is not string text || !NulCharacters.In(text);
}
