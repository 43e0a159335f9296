using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasStarter.Core;

namespace SaasStarter.Hosting;

/// <summary>Logging, proxy headers, HTTPS, security headers, error pages and health: what every request passes through.</summary>
public static partial class HostingModule
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            // One JSON object per line: what log collectors in front of a container expect; each says when, in UTC.
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }

        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

        // Behind a TLS proxy: ForwardedHeaders:Enabled=true, with the proxy in KnownProxies or KnownNetworks.
        var forwarding = builder.AddSettings<ForwardedHeadersSettings>(ForwardedHeadersSettings.Section);
        if (forwarding.Enabled) builder.Services.Configure<ForwardedHeadersOptions>(forwarding.Apply);

        // The antiforgery cookie, like the sign-in cookie, is Secure whenever the request came over HTTPS (the default
        // never marks it so), and stays usable over plain HTTP in Development.
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // The clock of the app's own timers (ApiKeyUsage's flush), injected so that a test can move it instead of waiting.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PublicOrigin.Settings.Read(builder.Configuration, builder.Environment));
        builder.Services.AddSingleton<PublicOrigin>();
        builder.Services.AddHealth();
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ForwardedHeadersSettings>() is { Enabled: true } forwarding)
        {
            if (forwarding.EverySource is { Count: > 0 } everySource)
            {
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SaasStarter.ForwardedHeaders");
                TrustingEverySource(logger, string.Join(", ", everySource));
            }
            app.UseForwardedHeaders();
        }

        // Pages: on the app itself, not in a UseWhen branch, whose re-executed /Error would find no page.
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        // The API answers in RFC 9457 problems instead; this branch runs first for /api requests.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"),
            api => api.UseExceptionHandler(ClientErrors.ProblemHandler()).UseStatusCodePages());

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseSecurityHeaders();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ForwardedHeaders:KnownNetworks has {Networks}: every source is trusted as a " +
        "proxy. A client that reaches the app without passing through the proxy chooses its own address (X-Forwarded-For, " +
        "which the limits per address count) and scheme. Make sure the proxy is the only way in.")]
    private static partial void TrustingEverySource(ILogger logger, string networks);
}
