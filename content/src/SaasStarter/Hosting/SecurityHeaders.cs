using System.Security.Cryptography;

namespace SaasStarter.Hosting;

/// <summary>Headers every response carries. Scripts come only from this app: no CDN, no inline script.</summary>
internal static class SecurityHeaders
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'";

    private static readonly object NonceKey = new();

    /// <summary>
    /// The nonce of this request's script-src, made for every request under /scalar: Scalar's page boots from an inline
    /// script, which carries it (OpenApiSetup), and no other inline script runs there.
    /// </summary>
    public static string ScriptNonce(HttpContext context) =>
        context.Items[NonceKey] as string ?? throw new InvalidOperationException("Only a request under /scalar has a script nonce.");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? ScalarPolicy(context) : Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return next(context);
        });

    private static string ScalarPolicy(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    }
}
