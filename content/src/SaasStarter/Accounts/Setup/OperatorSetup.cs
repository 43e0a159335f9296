using Microsoft.AspNetCore.Identity;
using SaasStarter.Data;

namespace SaasStarter.Accounts.Setup;

/// <summary>Creates the platform operator: once, from /setup with the token or from Setup:AdminEmail.</summary>
public sealed class OperatorSetup(UserManager<AppUser> users, RoleManager<IdentityRole<Guid>> roles)
{
    // One creation at a time in this process, so two browsers racing through /setup make one operator.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<bool> OperatorExistsAsync() =>
        (await users.GetUsersInRoleAsync(Roles.PlatformOperator)).Count > 0;

    /// <summary>Creates a confirmed operator account, or fails with the reasons (including "already set up").</summary>
    public async Task<IdentityResult> CreateOperatorAsync(string email, string password)
    {
        await Gate.WaitAsync();
        try
        {
            if (!await roles.RoleExistsAsync(Roles.PlatformOperator))
            {
                var roleResult = await roles.CreateAsync(new IdentityRole<Guid>(Roles.PlatformOperator) { Id = Guid.CreateVersion7() });
                if (!roleResult.Succeeded) return roleResult;
            }
            if (await OperatorExistsAsync())
            {
                return IdentityResult.Failed(new IdentityError
                {
                    Code = "AlreadySetUp",
                    Description = "A platform operator already exists; setup is closed.",
                });
            }

            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
                var created = await users.CreateAsync(user, password);
                if (!created.Succeeded) return created;
            }
            else
            {
                // An existing account may only be promoted by someone who knows its password.
                if (!await users.CheckPasswordAsync(user, password))
                {
                    return IdentityResult.Failed(new IdentityError
                    {
                        Code = "ExistingAccount",
                        Description = "An account with this email exists; enter its password to make it the operator.",
                    });
                }
            }
            return await users.AddToRoleAsync(user, Roles.PlatformOperator);
        }
        finally
        {
            Gate.Release();
        }
    }
}
