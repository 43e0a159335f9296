using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;

namespace SaasStarter.Tenancy;

/// <summary>
/// The platform operator's area, /admin (Pages/Admin): every page requires the <see cref="Roles.PlatformOperator"/>
/// policy, and anyone else, signed in or not, gets the same 404 as an unknown address, so the area is not advertised.
/// </summary>
public static class OperatorModule
{
    public const string AreaPath = "/admin";

    public static WebApplicationBuilder AddOperator(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RazorPagesOptions>(options =>
            options.Conventions.AuthorizeFolder("/Admin", Roles.PlatformOperator));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorAreaHidden>();
        builder.Services.AddScoped<TenantSuspension>();
        return builder;
    }

    /// <summary>
    /// Refusals under /admin answer 404 instead of a sign-in redirect or 403; everything else is left to the default
    /// handler (tenant pages still send anonymous visitors to sign in).
    /// </summary>
    private sealed class OperatorAreaHidden : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler standard = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (!authorizeResult.Succeeded && context.Request.Path.StartsWithSegments(AreaPath))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return standard.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
