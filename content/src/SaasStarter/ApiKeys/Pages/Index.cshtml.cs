using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement.Mvc;
using SaasStarter.Accounts;
using SaasStarter.ApiKeys;
using SaasStarter.Features;
using SaasStarter.Members;
using SaasStarter.Pages.Shared;
using SaasStarter.Tenancy;
using SaasStarter.Api;
using SaasStarter.Data;

using SaasStarter.Core;

namespace SaasStarter.ApiKeys.Pages;

/// <summary>
/// The tenant's API keys (apikeys.manage): create one (its secret is shown once, on the response), revoke. Not there (404)
/// where the operator has switched the Api flag off for the workspace.
/// </summary>
[FeatureGate(ApiModule.Feature, Order = FeatureGates.Order)]
[RequirePermission(ApiKeyPermissions.Manage)]
public sealed class ApiKeysModel(ApiKeyIssuer issuer, ITenantContext tenant, UserManager<AppUser> users) : PageModel
{
    public const int PageSize = 25;

    public sealed record Row(Guid Id, string Name, string PublicId, IReadOnlyList<string> Scopes, DateTime CreatedAtUtc,
        DateTime? ExpiresAtUtc, DateTime? RevokedAtUtc, DateTime? LastUsedAtUtc);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    /// <summary>Days until the key expires; empty for a key that does not expire.</summary>
    [BindProperty]
    public int? ExpiresInDays { get; set; } = 90;

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int PageCount { get; private set; } = 1;
    public CurrentTenant Tenant => tenant.Tenant!;
    public IReadOnlyList<string> Grantable => issuer.GrantableScopes();

    /// <summary>The new key's secret: on the response to its creation and nowhere else, ever.</summary>
    public string? NewKey { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? Problem { get; set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var created = await issuer.CreateAsync(MyUserId(), Name, Scopes, ExpiresInDays);
        if (created.Value is { } made)
        {
            NewKey = made.Key;
            Name = null;
            // Not a redirect: the secret would have to travel through a cookie or the address to survive one.
            Response.Headers.CacheControl = "no-store";
        }
        else
        {
            ModelState.AddModelError(nameof(Name), created.Problem!);
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId)
    {
        var outcome = await issuer.RevokeAsync(MyUserId(), keyId);
        if (outcome.Succeeded) Notice = "Key revoked: requests with it are refused from now on.";
        else Problem = outcome.Problem;
        return RedirectToPage(new { p = PageNumber });
    }

    private async Task LoadAsync()
    {
        var found = await issuer.All()
            .Select(k => new { k.Id, k.Name, k.PublicId, k.Scopes, k.CreatedAtUtc, k.ExpiresAtUtc, k.RevokedAtUtc, k.LastUsedAtUtc })
            .ToPageAsync(PageNumber, PageSize, HttpContext.RequestAborted);
        Rows = [.. found.Items.Select(k => new Row(k.Id, k.Name, k.PublicId, k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            k.CreatedAtUtc, k.ExpiresAtUtc, k.RevokedAtUtc, k.LastUsedAtUtc))];
        (PageNumber, PageCount) = (found.Number, found.Count);
    }

    private Guid MyUserId() => Guid.Parse(users.GetUserId(User)!);
}
