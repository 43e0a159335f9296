using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;

namespace SaasStarter.Pages;

/// <summary>
/// Razor Pages for every module, and the shell they share: the layout and partials in Pages/Shared, the landing page,
/// the dashboard and the error page. Pages are found anywhere in the project (the root directory is the project itself),
/// so each module keeps its pages in its own folder (<c>Projects/Pages/Index.cshtml</c>) and gives each one its address
/// in its <c>@page</c> directive; what pages under /t/{slug} or /admin share is added by route there (Tenancy, Operator).
/// </summary>
public static class PagesModule
{
    private const string SharedViews = "/Pages/Shared/{0}.cshtml";

    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options => options.RootDirectory = "/");
        // Bad input on any page is a message or a 4xx, never a 500 (see each).
        builder.Services.Configure<MvcOptions>(options =>
        {
            options.ModelBinderProviders.Insert(0, new CheckboxBinderProvider());
            options.Filters.Add(new UnhandledWrites());
            options.Filters.Add(new NulInQuery());
        });
        // The layout and partials stay in Pages/Shared, which the view engine would otherwise look for at /Shared.
        builder.Services.Configure<RazorViewEngineOptions>(options =>
        {
            options.PageViewLocationFormats.Add(SharedViews);
            options.AreaPageViewLocationFormats.Add(SharedViews);
        });
        return builder;
    }
}
