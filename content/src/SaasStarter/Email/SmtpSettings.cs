using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Email;

/// <summary>The <c>Email:Smtp</c> section. Without a host, emails stay in the outbox (the dev outbox page lists them).</summary>
public sealed record SmtpSettings(string Host, int Port, string? UserName, string? Password, string From, bool StartTls)
{
    public static SmtpSettings? Read(IConfiguration config)
    {
        var section = config.GetSection("Email:Smtp");
        var host = section["Host"];
        if (string.IsNullOrWhiteSpace(host)) return null;

        var portText = section["Port"];
        var port = 587;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new ConfigurationError("Email:Smtp:Port", $"'{portText}' is not a port number.");
        }

        var from = section["From"];
        if (string.IsNullOrWhiteSpace(from) || !from.Contains('@', StringComparison.Ordinal))
        {
            throw new ConfigurationError("Email:Smtp:From", "is required when Email:Smtp:Host is set (e.g. \"Acme <no-reply@acme.test>\").");
        }
        // Checked here, so a failure to build a message can only be the recipient's (a permanent failure of that email).
        if (!MimeKit.MailboxAddress.TryParse(from, out var sender) || sender.Domain.Length == 0 || sender.LocalPart.Length == 0)
        {
            throw new ConfigurationError("Email:Smtp:From", $"'{from}' is not one email address (e.g. \"Acme <no-reply@acme.test>\").");
        }

        var startTlsText = section["StartTls"];
        var startTls = true;
        if (!string.IsNullOrWhiteSpace(startTlsText) && !bool.TryParse(startTlsText, out startTls))
        {
            throw new ConfigurationError("Email:Smtp:StartTls", $"'{startTlsText}' is not true or false.");
        }

        return new(host, port, section["UserName"], section["Password"], from, startTls);
    }
}
