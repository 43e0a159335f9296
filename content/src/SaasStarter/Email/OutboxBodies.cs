using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace SaasStarter.Email;

/// <summary>
/// Email bodies at rest. A body carries live links (an invitation's <c>/join/{token}</c>, email confirmation and
/// password-reset codes), so the outbox stores it encrypted and authenticated with ASP.NET Core Data Protection (the
/// app's key ring, persisted by <c>Data/DataModule.cs</c>), under a purpose of its own narrowed to the row's id and
/// recipient: a body copied onto another row, or a row given another recipient, no longer opens. It is opened only to
/// send it (<see cref="SmtpDelivery"/>) and on the Development-only dev outbox page.
/// </summary>
public sealed class OutboxBodies(IDataProtectionProvider protection)
{
    /// <summary>Why an email whose body does not open was not sent (its <see cref="OutboxEmail.LastError"/>).</summary>
    public const string UnreadableError =
        "Not sent: its stored body could not be decrypted (changed in the database, or its key is gone). Ask for the email again.";

    private readonly IDataProtector protector = protection.CreateProtector("SaasStarter.Email.OutboxBody");

    /// <summary>Protects <paramref name="htmlBody"/> for <paramref name="email"/> (its id and recipient as they are now) and stores it there.</summary>
    public void Protect(OutboxEmail email, string htmlBody) => email.StoreProtectedBody(For(email).Protect(htmlBody));

    /// <summary>The body in clear; false when there is none (removed) or it does not open (changed, moved, or its key is gone).</summary>
    public bool TryOpen(OutboxEmail email, [NotNullWhen(true)] out string? htmlBody)
    {
        htmlBody = null;
        if (email.ProtectedHtmlBody is not { } stored) return false;
        try
        {
            htmlBody = For(email).Unprotect(stored);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private IDataProtector For(OutboxEmail email) => protector.CreateProtector(email.Id.ToString("N"), email.To);
}
