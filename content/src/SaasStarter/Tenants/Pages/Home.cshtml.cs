using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Tenants.Pages;

/// <summary>
/// A workspace's home: a card for every page the modules declared that this member may open. TenantResolution has already
/// answered 404 to anyone who is not a member, so every query here runs inside the tenant and its filters.
/// </summary>
[AnyMember]
public sealed class HomeModel(ITenantContext tenant, AppDbContext db, TenantNavigation navigation) : PageModel
{
    public CurrentTenant Tenant { get; private set; } = null!;
    public TenantRole Role { get; private set; }
    public int MemberCount { get; private set; }
    public IReadOnlyList<NavigationEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Tenant = tenant.Tenant!;
        Role = tenant.MemberRole!.Value;
        MemberCount = await db.Memberships.CountAsync();
        Entries = await navigation.VisibleAsync();
    }

    public string PathOf(NavigationEntry entry) => navigation.PathOf(entry);
}
