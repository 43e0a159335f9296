using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SaasStarter.Email;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// "Check your email" after registering. Unlike the stock page it does not look the address up, so it
/// says nothing about which emails have accounts. In Development without SMTP it points to the dev outbox.
/// </summary>
[AllowAnonymous]
public sealed class RegisterConfirmationModel(IWebHostEnvironment environment, EmailDeliverySettings delivery) : PageModel
{
    public string Email { get; private set; } = "";
    public bool ShowDevOutbox => environment.IsDevelopment() && !delivery.SendsMail;

    public IActionResult OnGet(string? email = null)
    {
        if (string.IsNullOrWhiteSpace(email)) return RedirectToPage("/Pages/Index", new { area = "" });
        Email = email;
        return Page();
    }
}
