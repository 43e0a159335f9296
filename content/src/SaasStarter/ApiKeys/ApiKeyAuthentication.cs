using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SaasStarter.Members;
using SaasStarter.Tenancy;

namespace SaasStarter.ApiKeys;

/// <summary>
/// The API's only way in: <c>Authorization: Bearer sk_live_…</c> or <c>X-Api-Key: sk_live_…</c>. An accepted key enters
/// its tenant into the request's <see cref="TenantContext"/> (the same one the pages use, so the query filters and
/// PostgreSQL's row-level security apply unchanged) and its scopes into <see cref="ApiCaller"/>. Anything else gets
/// 401 with <c>WWW-Authenticate</c> and a problem that says what was wrong with the key. Cookies are never read here,
/// so a signed-in browser has no way into the API (no CSRF surface).
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyDirectory directory, ApiKeyUsage usage, TenantContext tenant, ApiCaller caller)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string KeyIdClaim = "api_key_id";
    public const string TenantIdClaim = "tenant_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null) return AuthenticateResult.NoResult();
        if (ApiKeySecret.Parse(presented) is not { } parts) return AuthenticateResult.Fail("The API key is malformed.");
        var key = await directory.FindAsync(parts.PublicId, Context.RequestAborted);
        if (key is null || !ApiKeySecret.Matches(parts.Secret, key.SecretHash)) return AuthenticateResult.Fail("The API key is not valid.");
        if (key.Revoked) return AuthenticateResult.Fail("The API key has been revoked.");
        if (key.ExpiresAtUtc <= DateTime.UtcNow) return AuthenticateResult.Fail("The API key has expired.");
        if (key.CreatorRole is not { } creatorRole)
        {
            return AuthenticateResult.Fail("The API key's creator is no longer a member of the workspace; create a new key.");
        }

        // Never beyond its creator: a demoted creator's keys lose what the creator lost.
        var scopes = key.Scopes.Where(s => Permissions.Grant(creatorRole, s)).ToList();
        // The creator's role, so the rules of the services (only an owner makes owners...) hold for their keys too; the
        // scopes (checked per endpoint) narrow it further.
        tenant.Enter(key.Tenant, creatorRole);
        caller.Enter(key.Id, key.CreatedByUserId, key.Name, key.PublicId, scopes);
        usage.Touch(key.Tenant, key.Id);
        var identity = new ClaimsIdentity(
            [new Claim(KeyIdClaim, key.Id.ToString()), new Claim(TenantIdClaim, key.Tenant.Id.ToString()), .. scopes.Select(s => new Claim("scope", s))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        var detail = failure ?? $"Send an API key as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'. Workspace owners and admins create keys under API keys.";
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"api\""
            : $"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{failure}\"";
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
