using SaasStarter.Pages.Tenant;

namespace SaasStarter.Pages;

public static class PagesModule
{
    /// <summary>Razor Pages, with what every page under /t/{slug} shares.</summary>
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
            options.Conventions.AddFolderApplicationModelConvention("/Tenant", model => model.Filters.Add(new LastTenant())));
        return builder;
    }
}
