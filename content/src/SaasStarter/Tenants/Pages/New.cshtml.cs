using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants.Pages;

/// <summary>Creates a workspace (tenant) with the signed-in user as its Owner.</summary>
[Authorize]
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
        Input.Slug = slug;
        var (nameProblem, slugProblem) = await founding.CheckAsync(Input.Name, slug);
        if (nameProblem is not null) ModelState.AddModelError("Input.Name", nameProblem);
        if (slugProblem is not null) ModelState.AddModelError("Input.Slug", slugProblem);
        if (nameProblem is not null || slugProblem is not null) return Page();

        var founded = await founding.CreateAsync(Input.Name, slug, userId);
        if (founded.Value is not { } tenant)
        {
            // Lost a race for the address since the check (or the name changed meaning): the field it is about.
            ModelState.AddModelError(founded.Field == "name" ? "Input.Name" : "Input.Slug", founded.Problem!);
            return Page();
        }
        return Redirect(hosting.Link(Request, tenant.Slug));
    }
}
