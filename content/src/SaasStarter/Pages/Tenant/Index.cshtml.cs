using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Pages.Tenant;

/// <summary>
/// A workspace's home. TenantResolution has already answered 404 to anyone who is not a member, so every query
/// here runs inside the tenant and its filters: there is no tenant id to pass around, nor to get wrong.
/// </summary>
public sealed class IndexModel(ITenantContext tenant, AppDbContext db) : PageModel
{
    public CurrentTenant Tenant { get; private set; } = null!;
    public TenantRole Role { get; private set; }
    public int MemberCount { get; private set; }

    public async Task OnGetAsync()
    {
        Tenant = tenant.Tenant!;
        Role = tenant.MemberRole!.Value;
        MemberCount = await db.Memberships.CountAsync();
    }
}
