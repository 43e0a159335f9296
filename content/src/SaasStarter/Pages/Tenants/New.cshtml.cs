using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Tenants;

/// <summary>Creates a workspace (tenant) with the signed-in user as its Owner. Sign-in is required by folder convention.</summary>
public sealed class NewModel(TenantFounding founding, UserManager<AppUser> users, TenancyHosting hosting) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Display(Name = "Workspace name")]
        public string Name { get; set; } = "";

        [Display(Name = "Address")]
        public string Slug { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = users.GetUserId(User) is { } id && Guid.TryParse(id, out var parsed) ? parsed : Guid.Empty;
        if (userId == Guid.Empty) return Challenge();

        var slug = string.IsNullOrWhiteSpace(Input.Slug) ? TenantSlug.Suggest(Input.Name) : Input.Slug.Trim();
        var result = await founding.CreateAsync(Input.Name, slug, userId);
        if (!result.Succeeded)
        {
            if (result.NameProblem is not null) ModelState.AddModelError("Input.Name", result.NameProblem);
            if (result.SlugProblem is not null) ModelState.AddModelError("Input.Slug", result.SlugProblem);
            Input.Slug = slug;
            return Page();
        }
        return Redirect(hosting.Link(Request, result.Tenant!.Slug));
    }
}
