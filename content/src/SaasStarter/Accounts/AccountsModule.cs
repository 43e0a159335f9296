using Microsoft.AspNetCore.Identity;
using SaasStarter.Accounts.Setup;
using SaasStarter.Areas.Identity.Pages.Account;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Data;

namespace SaasStarter.Accounts;

/// <summary>The audit actions this module records, in every tenant of the user who signs in.</summary>
public static class SignInAudit
{
    public const string Succeeded = "signin.succeeded";
    public const string Failed = "signin.failed";
    public const string LockedOut = "signin.locked_out";
}

/// <summary>
/// Accounts on ASP.NET Core Identity (Areas/Identity restyles its pages): sign-up, sign-in with lockout and two factors,
/// email confirmation through the outbox, the platform operator role and its first-run setup.
/// </summary>
public static class AccountsModule
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var settings = builder.AddSettings<AccountSettings>(AccountSettings.Section);

        builder.Services
            .AddDefaultIdentity<AppUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = PasswordLengthValidator.MinLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<LockoutSignInManager>()
            .AddPasswordValidator<PasswordLengthValidator>()
            .AddPasswordValidator<CommonPasswordValidator>();

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = ".SaasStarter.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Absolute lifetime: a stolen cookie stops working, however busy its thief keeps it.
            cookie.ExpireTimeSpan = settings.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
            // Signing in at the login path (or out at the logout path), the handler first redirects to the ReturnUrl query
            // value as it came (the page's own redirect, by ReturnUrls, then replaces it); Kestrel refuses a Location header
            // outside printable ASCII, so "/¿" was a 500 after a correct password. The value is encoded first.
            cookie.Events.OnRedirectToReturnUrl = context =>
            {
                context.Response.Redirect(ReturnUrls.Ascii(context.RedirectUri));
                return Task.CompletedTask;
            };
        });

        builder.AddAuditAction(SignInAudit.Succeeded, "Signed in");
        builder.AddAuditAction(SignInAudit.Failed, "Sign-in failed");
        builder.AddAuditAction(SignInAudit.LockedOut, "Locked out after failed sign-ins");

        builder.Services.AddSingleton<DecoyPasswordHash>();
        builder.Services.AddSingleton<SetupToken>();
        builder.Services.AddScoped<OperatorSetup>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.PlatformOperator, policy => policy.RequireRole(Roles.PlatformOperator));
        return builder;
    }

    /// <summary>The API answers 401/403 itself; only pages redirect to the sign-in page.</summary>
    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
