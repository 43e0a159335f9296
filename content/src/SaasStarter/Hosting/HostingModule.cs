using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasStarter.Core;

namespace SaasStarter.Hosting;

/// <summary>Logging, proxy headers, HTTPS, security headers, error pages and health: what every request passes through.</summary>
public static class HostingModule
{
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            // One JSON object per line: what log collectors in front of a container expect.
            builder.Logging.AddJsonConsole(options => options.IncludeScopes = true);
        }

        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

        // Behind a TLS proxy set ForwardedHeaders:Enabled=true, and list the proxy in
        // ForwardedHeaders:KnownProxies unless it is the only way in (then every source is trusted).
        if (builder.Configuration.GetValue<bool>("ForwardedHeaders:Enabled"))
        {
            var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
            builder.Services.Configure<ForwardedHeadersOptions>(options =>
            {
                // Not X-Forwarded-Host: links come from App:PublicUrl, and a forwarded host would dodge AllowedHosts.
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                options.KnownIPNetworks.Clear();
                options.KnownProxies.Clear();
                foreach (var proxy in proxies)
                {
                    options.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address)
                        ? address
                        : throw new ConfigurationError("ForwardedHeaders:KnownProxies", $"'{proxy}' is not an IP address."));
                }
            });
        }

        // The clock of the app's own timers (ApiKeyUsage's flush), injected so that a test can move it instead of waiting.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PublicOrigin.Settings.Read(builder.Configuration, builder.Environment));
        builder.Services.AddSingleton<PublicOrigin>();
        builder.Services.AddHealth();
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("ForwardedHeaders:Enabled"))
        {
            app.UseForwardedHeaders();
        }

        // Pages: on the app itself, not in a UseWhen branch, whose re-executed /Error would find no page.
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        // The API answers in RFC 9457 problems instead; this branch runs first for /api requests.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"),
            api => api.UseExceptionHandler().UseStatusCodePages());

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseSecurityHeaders();
        return app;
    }
}
