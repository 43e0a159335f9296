using System.ComponentModel.DataAnnotations;
using SaasStarter.Core;

namespace SaasStarter.Email;

/// <summary>The <c>Email:Smtp</c> section. Without a host, emails stay in the outbox (the dev outbox page lists them).</summary>
public sealed record SmtpSettings(
    string Host = "",
    [property: Range(1, 65535, ErrorMessage = "is not a port number.")] int Port = 587,
    string? UserName = null,
    string? Password = null,
    string From = "",
    bool StartTls = true) : IValidatableObject
{
    /// <summary>The configured server, or null when none is (see <see cref="EmailDeliverySettings.Server"/>).</summary>
    public static SmtpSettings? Read(IConfiguration config) => EmailDeliverySettings.Read(config).Server;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Host)) yield break;
        if (string.IsNullOrWhiteSpace(From) || !From.Contains('@', StringComparison.Ordinal))
        {
            yield return new ValidationResult("is required when Email:Smtp:Host is set (e.g. \"Acme <no-reply@acme.test>\").", [nameof(From)]);
        }
        // Checked here, so a failure to build a message can only be the recipient's (a permanent failure of that email).
        else if (!MimeKit.MailboxAddress.TryParse(From, out var sender) || sender.Domain.Length == 0 || sender.LocalPart.Length == 0)
        {
            yield return new ValidationResult($"'{From}' is not one email address (e.g. \"Acme <no-reply@acme.test>\").", [nameof(From)]);
        }
    }
}
