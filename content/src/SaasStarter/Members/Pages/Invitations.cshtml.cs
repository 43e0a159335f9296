using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Accounts;
using SaasStarter.Members;
using SaasStarter.Members.Invitations;
using SaasStarter.Core;
using SaasStarter.Tenancy;
using SaasStarter.Data;

namespace SaasStarter.Members.Pages;

/// <summary>Invite people by email with a role, and resend or revoke the invitations still waiting (members.invite).</summary>
[RequirePermission(MemberPermissions.Invite)]
public sealed class InvitationsModel(TenantInvitations invitations, ITenantContext tenant, UserManager<AppUser> users,
    InvitationSettings settings) : PageModel
{
    public const int PageSize = 25;

    public sealed record Row(Guid Id, string Email, TenantRole Role, InvitationState State, DateTime ExpiresAtUtc, DateTime LastSentAtUtc, int SendCount);

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public TenantRole Role { get; set; } = TenantRole.Member;

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount { get; private set; } = 1;
    public CurrentTenant Tenant => tenant.Tenant!;
    public int ValidDays => (int)settings.ValidFor.TotalDays;

    /// <summary>The roles this member may invite with: only an Owner brings in Owners.</summary>
    public IReadOnlyList<TenantRole> Roles =>
        [.. Enum.GetValues<TenantRole>().Where(r => r != TenantRole.Owner || tenant.MemberRole == TenantRole.Owner)];

    [TempData]
    public string? Problem { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        Outcome outcome = await invitations.InviteAsync(MyUserId(), Email, Role);
        if (outcome.Succeeded)
        {
            Notice = $"Invitation sent to {Email!.Trim()}.";
            return RedirectToPage();
        }
        // Shown on the form with what was typed, so nothing is lost.
        ModelState.AddModelError(nameof(Email), outcome.Problem!);
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostResendAsync(Guid invitationId) =>
        Apply(invitations.ResendAsync(MyUserId(), invitationId), "Invitation sent again with a new link; the old one no longer works.");

    public Task<IActionResult> OnPostRevokeAsync(Guid invitationId) =>
        Apply(invitations.RevokeAsync(MyUserId(), invitationId), "Invitation revoked; its link no longer works.");

    private async Task LoadAsync()
    {
        var now = DateTime.UtcNow;
        var found = await invitations.Waiting()
            .Select(i => new Row(i.Id, i.Email, i.Role, i.ExpiresAtUtc > now ? InvitationState.Open : InvitationState.Expired,
                i.ExpiresAtUtc, i.LastSentAtUtc, i.SendCount))
            .ToPageAsync(PageNumber, PageSize, HttpContext.RequestAborted);
        (Rows, Total, PageNumber, PageCount) = (found.Items, found.Total, found.Number, found.Count);
    }

    private async Task<IActionResult> Apply(Task<Outcome> change, string notice)
    {
        var outcome = await change;
        if (outcome.Succeeded) Notice = notice;
        else Problem = outcome.Problem;
        return RedirectToPage(new { p = PageNumber });
    }

    private Guid MyUserId() => Guid.Parse(users.GetUserId(User)!);
}
