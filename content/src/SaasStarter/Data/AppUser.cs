using Microsoft.AspNetCore.Identity;

namespace SaasStarter.Data;

/// <summary>A person who signs in. Global: later, one user belongs to many tenants through memberships.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public AppUser()
    {
        Id = Guid.CreateVersion7();
    }

    public DateTime CreatedAtUtc { get; set; } = DateTime.UtcNow;
}
