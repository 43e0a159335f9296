using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SaasStarter.Api.RateLimits;
using SaasStarter.Tenancy;

namespace SaasStarter.Api.Keys;

/// <summary>
/// The API's only way in: <c>Authorization: Bearer sk_live_…</c> or <c>X-Api-Key: sk_live_…</c>. An accepted key enters
/// its tenant into the request's <see cref="TenantContext"/> (the same one the pages use, so the query filters and
/// PostgreSQL's row-level security apply unchanged) and its scopes into <see cref="ApiCaller"/>. Anything else gets
/// 401 with <c>WWW-Authenticate</c> and a problem that says what was wrong with the key, or 429 once the client's address
/// has sent too many refused keys (<see cref="FailedKeyLimiter"/>). Cookies are never read here,
/// so a signed-in browser has no way into the API (no CSRF surface).
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyDirectory directory, FailedKeyLimiter failures, ApiKeyUsage usage, TenantContext tenant, ApiCaller caller,
    PermissionCatalog permissions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null) return AuthenticateResult.NoResult();
        var address = ApiClient.AddressOf(Context);
        if (ApiKeySecret.Parse(presented) is not { } parts) return Refuse(address, "The API key is malformed.");

        // Guessing is throttled per address (FailedKeyLimiter), before it costs a query: only refused keys spend that
        // bucket, so valid keys never do. An address that has used it up still gets in with a key this instance has found
        // lately (its own buckets limit it; its lookup is at most one per cache lifetime), while any other key is
        // answered 429 without a lookup: guessing stops, and a known-good key from a shared address keeps working.
        var recognised = directory.Recognises(parts.PublicId);
        using var lookup = recognised ? null : await failures.StartLookupAsync(address, Context.RequestAborted);
        if (!recognised && lookup is null) return AuthenticateResult.Fail(new FailedKeysExhausted(failures.Exhausted()));
        var key = await directory.FindAsync(parts.PublicId, Context.RequestAborted);
        // Counted before the lookup ends (the using), so a concurrent lookup never sees the token this one is about to take.
        if (Refusal(key, parts.Secret) is { } reason) return Refuse(address, reason);

        // Never beyond its creator: a demoted creator's keys lose what the creator lost.
        var creatorRole = key!.CreatorRole!.Value;
        var scopes = key.Scopes.Where(s => permissions.Find(s) is not null && permissions.Grants(creatorRole, s)).ToList();
        // The creator's role, so the rules of the services (only an owner makes owners...) hold for their keys too; the
        // scopes (checked per endpoint) narrow it further.
        tenant.Enter(key.Tenant, creatorRole);
        caller.Enter(key, scopes);
        usage.Touch(key.Tenant, key.Id);
        // The principal only says "a key"; who the caller is lives in ApiCaller, which everything after this reads.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, key.Id.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Why <paramref name="key"/> (null: no such public id) may not be used with <paramref name="secret"/>, or null.</summary>
    private static string? Refusal(ApiKeyDirectory.KnownKey? key, string secret)
    {
        if (key is null || !ApiKeySecret.Matches(secret, key.SecretHash)) return "The API key is not valid.";
        if (key.Revoked) return "The API key has been revoked.";
        if (key.ExpiresAtUtc <= DateTime.UtcNow) return "The API key has expired.";
        if (key.CreatorRole is null) return "The API key's creator is no longer a member of the workspace; create a new key.";
        return null;
    }

    /// <summary>A refused key: 401 saying why while the address has refusals to spare, then 429.</summary>
    private AuthenticateResult Refuse(string address, string reason) =>
        failures.Refuse(address) is { } tooMany ? AuthenticateResult.Fail(new FailedKeysExhausted(tooMany)) : AuthenticateResult.Fail(reason);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        if (failure is FailedKeysExhausted exhausted)
        {
            RateLimitHeaders.Set(Response.Headers, failures.Status(ApiClient.AddressOf(Context)));
            await ApiRateLimitPolicy.WriteRefusalAsync(Context, exhausted.Refusal);
            return;
        }
        var detail = failure?.Message ?? $"Send an API key as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'. Workspace owners and admins create keys under API keys.";
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"api\""
            : $"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{failure.Message}\"";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "An API key is required.", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden.", "The API key may not do this.").AsTask();

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        var header = request.Headers[HeaderName].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}

/// <summary>The key handler's failure when the address has used up its refused keys: the challenge answers it with 429.</summary>
internal sealed class FailedKeysExhausted(Refusal refusal) : Exception("Too many refused API keys from this address.")
{
    public Refusal Refusal { get; } = refusal;
}
