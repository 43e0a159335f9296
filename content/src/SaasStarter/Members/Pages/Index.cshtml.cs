using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Accounts;
using SaasStarter.Data;
using SaasStarter.Members;
using SaasStarter.Core;
using SaasStarter.Tenancy;

namespace SaasStarter.Members.Pages;

/// <summary>A tenant's members: paged and searchable for everyone with members.read; changes need members.manage.</summary>
[RequirePermission(MemberPermissions.Read)]
public sealed class MembersModel(AppDbContext db, ITenantContext tenant, MemberAdministration administration, UserManager<AppUser> users)
    : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    // Not "page": Razor Pages reserves that route value for the page's own name.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<MemberEntry> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;
    public CurrentTenant Tenant => tenant.Tenant!;
    public TenantRole MyRole => tenant.MemberRole!.Value;
    // Read once: the view compares it with every row.
    public Guid MyUserId => myUserId ??= Guid.Parse(users.GetUserId(User)!);
    private Guid? myUserId;
    public bool CanManage => tenant.Can(MemberPermissions.Manage);
    public bool CanInvite => tenant.Can(MemberPermissions.Invite);

    [TempData]
    public string? Problem { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync()
    {
        var found = await db.MemberEntries(Search).ToPageAsync(PageNumber, PageSize);
        (Rows, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
    }

    public Task<IActionResult> OnPostRoleAsync(Guid membershipId, TenantRole role) =>
        Apply(administration.ChangeRoleAsync(MyUserId, membershipId, role), "Role changed.");

    public Task<IActionResult> OnPostRemoveAsync(Guid membershipId) =>
        Apply(administration.RemoveAsync(MyUserId, membershipId), "Member removed.");

    public Task<IActionResult> OnPostTransferAsync(Guid membershipId) =>
        Apply(administration.TransferOwnershipAsync(MyUserId, membershipId), "Ownership transferred: you are now an admin.");

    public async Task<IActionResult> OnPostLeaveAsync()
    {
        var outcome = await administration.LeaveAsync(MyUserId);
        if (!outcome.Succeeded)
        {
            Problem = outcome.Problem;
            return RedirectToPage();
        }
        return RedirectToPage("/Pages/Dashboard/Index");
    }

    private async Task<IActionResult> Apply(Task<Outcome> change, string notice)
    {
        var outcome = await change;
        if (outcome.Succeeded) Notice = notice;
        else Problem = outcome.Problem;
        return RedirectToPage(new { q = Search, p = PageNumber });
    }
}
