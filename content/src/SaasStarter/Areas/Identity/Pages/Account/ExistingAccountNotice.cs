using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Areas.Identity.Pages.Account;

/// <summary>
/// What a sign-up with an already registered email does instead of saying "taken" (which would tell anyone which
/// addresses have accounts): the account's owner is told by email, and the page answers as for a new account.
/// Used by Register and ExternalLogin.
/// </summary>
internal static class ExistingAccountNotice
{
    public const string Subject = "Someone tried to create an account with your email";

    public static Task SendAsync(IEmailSender sender, PublicOrigin origin, IUrlHelper url, string ownerEmail)
    {
        var signInLink = origin.Link(url.Page("/Account/Login", pageHandler: null, values: new { area = "Identity" })!);
        var resetLink = origin.Link(url.Page("/Account/ForgotPassword", pageHandler: null, values: new { area = "Identity" })!);
        return sender.SendEmailAsync(ownerEmail, Subject,
            $"<p>Someone tried to create an account on {Product.Name} with this email address, but it already has one.</p>" +
            $"<p>If it was you, <a href='{HtmlEncoder.Default.Encode(signInLink)}'>sign in</a> " +
            $"or <a href='{HtmlEncoder.Default.Encode(resetLink)}'>reset your password</a> if you forgot it.</p>" +
            $"<p>If it wasn't you, you can ignore this email: nothing has changed on your account.</p>");
    }
}
