using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>After Forgot password, whether or not the email has an account: the same words for both.</summary>
[AllowAnonymous]
public sealed class ForgotPasswordConfirmationModel : PageModel
{
    public void OnGet()
    {
    }
}
