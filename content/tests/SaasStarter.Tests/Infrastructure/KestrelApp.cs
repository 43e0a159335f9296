using System.Net;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>
/// The app on a real Kestrel port, as production runs it: what the in-memory test server lets through, Kestrel may refuse
/// (a Location header outside printable ASCII is an exception there, a 500). Started by the first test that asks, so a
/// class whose tests all skip (no PostgreSQL server) starts nothing.
/// </summary>
public abstract class KestrelApp(AppFactory factory) : IAsyncLifetime
{
    private bool started;

    public AppFactory Started
    {
        get
        {
            if (!started)
            {
                factory.UseKestrel(0);
                factory.StartServer();
                started = true;
            }
            return factory;
        }
    }

    /// <summary>
    /// A visitor over a socket that keeps cookies and does not follow redirects (the factory's own clients for Kestrel
    /// follow them, whatever their options say).
    /// </summary>
    public WebSession CreateSession() =>
        new(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Started.ClientOptions.BaseAddress,
        });

    /// <summary>A visitor signed in as <paramref name="email"/> (password <see cref="AccountFlows.GoodPassword"/>).</summary>
    public async Task<WebSession> SignedInSessionAsync(string email)
    {
        var session = CreateSession();
        var signedIn = await AccountFlows.SignInAsync(session, email, AccountFlows.GoodPassword);
        Assert.True(WebSession.IsRedirect(signedIn.StatusCode), $"sign-in of {email} answered {(int)signedIn.StatusCode}");
        return session;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => factory.DisposeAsync().AsTask();
}

public sealed class KestrelApp<TFactory>() : KestrelApp(new TFactory()) where TFactory : AppFactory, new();
