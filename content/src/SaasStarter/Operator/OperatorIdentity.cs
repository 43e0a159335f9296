using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using SaasStarter.Data;

namespace SaasStarter.Operator;

internal static class OperatorIdentity
{
    /// <summary>The signed-in operator's user id: every platform bypass names it in its log line.</summary>
    public static Guid? OperatorId(this UserManager<AppUser> users, ClaimsPrincipal user) =>
        Guid.TryParse(users.GetUserId(user), out var id) ? id : null;
}
