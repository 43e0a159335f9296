using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Members;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants.Pages;

/// <summary>The workspace's name and address (tenant.settings). A changed address redirects from the old one.</summary>
[RequirePermission(TenantPermissions.Settings)]
public sealed class SettingsModel(ITenantContext tenant, TenantSettings settings, TenancyHosting hosting) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? NewSlug { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public CurrentTenant Tenant => tenant.Tenant!;

    public void OnGet()
    {
        Name = Tenant.Name;
        NewSlug = Tenant.Slug;
    }

    public async Task<IActionResult> OnPostNameAsync()
    {
        if (await settings.RenameAsync(Name) is { } problem)
        {
            ModelState.AddModelError(nameof(Name), problem);
            NewSlug = Tenant.Slug;
            return Page();
        }
        Notice = "Name saved.";
        return Redirect($"/t/{Tenant.Slug}/settings");
    }

    public async Task<IActionResult> OnPostAddressAsync()
    {
        if (await settings.ChangeSlugAsync(NewSlug) is { } problem)
        {
            ModelState.AddModelError(nameof(NewSlug), problem);
            Name = Tenant.Name;
            return Page();
        }
        Notice = "Address changed: links to the old one still lead here.";
        // In Host mode the new address is another host.
        return Redirect(hosting.Link(Request, NewSlug!.Trim(), "/settings"));
    }
}
