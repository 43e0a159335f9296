using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ApiClient;

/// <summary>
/// An RFC 9457 problem, as the API answers every error: what went wrong (<see cref="Title"/>, <see cref="Detail"/>),
/// the fields a validation problem names (<see cref="Errors"/>), and the <see cref="TraceId"/> to quote to the operator.
/// </summary>
public sealed record ApiProblem(
    int Status, string? Type, string? Title, string? Detail, string? TraceId, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Reads the problem of a failed response; a body that is not a problem (a proxy's page, say) still says something.</summary>
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var body = await response.Content.ReadFromJsonAsync<ProblemBody>(ApiJson.Options, cancellationToken);
                if (body is not null)
                {
                    return new ApiProblem(body.Status ?? status, body.Type, body.Title, body.Detail, body.TraceId,
                        body.Errors ?? new Dictionary<string, string[]>());
                }
            }
            catch (JsonException)
            {
                // Not the JSON we expected: fall through to the raw text.
            }
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiProblem(status, null, response.ReasonPhrase, text.Length > 300 ? text[..300] + "…" : text, null,
            new Dictionary<string, string[]>());
    }

    public HttpStatusCode StatusCode => (HttpStatusCode)Status;

    /// <summary>Several lines a person can act on: status and title, the detail, each field's errors, the trace id.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Status} {Title ?? StatusCode.ToString()}");
        if (!string.IsNullOrWhiteSpace(Detail)) text.Append("\n  ").Append(Detail);
        foreach (var (field, messages) in Errors)
        {
            foreach (var message in messages) text.Append("\n  - ").Append(field).Append(": ").Append(message);
        }
        if (Type is not null && Type != "about:blank" && !Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            text.Append("\n  type: ").Append(Type);
        }
        if (TraceId is not null) text.Append("\n  traceId: ").Append(TraceId);
        return text.ToString();
    }

    private sealed record ProblemBody(
        string? Type, string? Title, int? Status, string? Detail, string? TraceId, Dictionary<string, string[]>? Errors);
}

/// <summary>The API answered with a problem; <see cref="Problem"/> says which.</summary>
public sealed class ApiProblemException(ApiProblem problem) : Exception(problem.Describe())
{
    public ApiProblem Problem { get; } = problem;
}

internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
