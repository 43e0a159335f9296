using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity.UI.Services;
using SaasStarter.Hosting;
using SaasStarter.Tenancy;
using SaasStarter.Core;

namespace SaasStarter.Members.Invitations;

/// <summary>The invitation email. Its link is built from <see cref="PublicOrigin"/>, never from the request's Host header.</summary>
public sealed class InvitationEmail(IEmailSender sender, PublicOrigin origin)
{
    /// <summary>Where an invitation link points: outside /t/, since the person opening it is not a member yet.</summary>
    public static string PathOf(string token) => $"/join/{token}";

    /// <summary>Queues the email; the outbox saves it with whatever else the context holds, in one SaveChanges.</summary>
    public Task SendAsync(Invitation invitation, string token, CurrentTenant tenant, string? inviterEmail)
    {
        var link = HtmlEncoder.Default.Encode(origin.Link(PathOf(token)));
        var workspace = HtmlEncoder.Default.Encode(tenant.Name);
        var inviter = HtmlEncoder.Default.Encode(inviterEmail ?? "A colleague");
        var expires = invitation.ExpiresAtUtc.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        return sender.SendEmailAsync(invitation.Email, $"You're invited to {tenant.Name} on {Product.Name}",
            $"<p>{inviter} invited you to join <strong>{workspace}</strong> on {HtmlEncoder.Default.Encode(Product.Name)} " +
            $"as {invitation.Role.ToString().ToLowerInvariant()}.</p>" +
            $"<p><a href='{link}'>Accept the invitation</a></p>" +
            $"<p>The link works once and until {expires} (UTC). If you weren't expecting it, you can ignore this email.</p>");
    }
}
