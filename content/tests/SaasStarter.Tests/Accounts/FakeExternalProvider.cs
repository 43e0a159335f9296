using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Accounts;

/// <summary>
/// A stand-in for an external sign-in provider (Google, Microsoft…): its challenge "signs the person in" at once,
/// with a new provider key each time, and returns to the app's callback as a real provider would.
/// </summary>
public sealed class FakeExternalProvider(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "Fake";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString("N"))], Scheme.Name);
        await Context.SignInAsync(IdentityConstants.ExternalScheme, new ClaimsPrincipal(identity), properties);
        Response.Redirect(properties.RedirectUri ?? "/");
    }

    /// <summary>A session on <paramref name="factory"/>'s app with this provider added, standing on the "create your account" form it leads to.</summary>
    public static async Task<(WebSession Session, WebPage NewAccount)> NewAccountFormAsync(AppFactory factory)
    {
        var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, FakeExternalProvider>(Name, "Fake", null)));
        var session = new WebSession(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("http://localhost"),
        }));

        // Sign in with the provider: the login form's anti-forgery token, then the provider's round trip.
        var login = await session.GetAsync(AccountFlows.LoginPath);
        var token = login.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var challenged = await session.Client.PostAsync("/Identity/Account/ExternalLogin",
            new FormUrlEncodedContent([new("provider", Name), new("__RequestVerificationToken", token)]));
        var newAccount = await session.FollowAsync(challenged);
        Xunit.Assert.True(newAccount.Status == System.Net.HttpStatusCode.OK,
            $"The external login callback answered {(int)newAccount.Status}: {WebSession.Excerpt(newAccount)}");
        return (session, newAccount);
    }
}
