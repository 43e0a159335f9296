using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;

namespace SaasStarter.Operator;

/// <summary>
/// The platform operator's area, /admin: every tenant, its plan, features and suspension, every tenant's audit events,
/// and the jobs. Every page routed under /admin requires the <see cref="Roles.PlatformOperator"/> policy, and anyone
/// else, signed in or not, gets the same 404 as an unknown address, so the area is not advertised.
/// </summary>
public static class OperatorModule
{
    public const string AreaPath = "/admin";

    public static WebApplicationBuilder AddOperator(this WebApplicationBuilder builder)
    {
        // PostConfigure: Razor Pages' own set-up replaces the conventions collection (see TenancyModule).
        builder.Services.PostConfigure<RazorPagesOptions>(options => options.Conventions.Add(new OperatorPageConvention()));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorAreaHidden>();
        return builder;
    }

    /// <summary>Every page routed under /admin, in whichever folder it lives, needs the operator's role.</summary>
    private sealed class OperatorPageConvention : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            foreach (var selector in model.Selectors.Where(s => new PathString("/" + s.AttributeRouteModel?.Template?.TrimStart('/')).StartsWithSegments(AreaPath)))
            {
                selector.EndpointMetadata.Add(new AuthorizeAttribute(Roles.PlatformOperator));
            }
        }
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
