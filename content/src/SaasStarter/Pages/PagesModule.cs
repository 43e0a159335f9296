using SaasStarter.Pages.Tenant;

namespace SaasStarter.Pages;

public static class PagesModule
{
    /// <summary>Razor Pages, with what every page under /t/{slug} shares.</summary>
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AddFolderApplicationModelConvention("/Tenant", model => model.Filters.Add(new LastTenant()));
            // One page creates and edits a project: without an id it is a new one.
            options.Conventions.AddPageRoute("/Tenant/Projects/Edit", "t/{slug}/projects/new");
        });
        return builder;
    }
}
