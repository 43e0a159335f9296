using Microsoft.AspNetCore.Identity.UI.Services;
using SaasStarter.Core;
using SaasStarter.Jobs;

namespace SaasStarter.Email;

/// <summary>
/// Email through an outbox in the app's database: every email is stored first, so no page waits on (or fails with) the
/// mail server; with an SMTP server configured, the job email-outbox (<see cref="SmtpDelivery"/>) sends them, woken at
/// once by <see cref="OutboxWaker"/>. Without one, they stay in the outbox, which Development shows at /dev/outbox.
/// Bodies are stored encrypted (<see cref="OutboxBodies"/>) and removed once sent or given up; the job
/// email-outbox-retention (<see cref="OutboxRetention"/>) deletes the rows after <c>Email:KeepSentDays</c>.
/// </summary>
public static class EmailModule
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        var email = builder.AddSettings<EmailDeliverySettings>(EmailDeliverySettings.Section);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxBodies>();
        builder.AddPlatformJob<OutboxRetention>(OutboxRetention.Definition);
        builder.Services.AddScoped<IEmailSender, OutboxEmailSender>();
        if (email.Server is { } smtp)
        {
            builder.Services.AddSingleton(smtp);
            builder.AddPlatformJob<SmtpDelivery>(SmtpDelivery.Definition);
            builder.Services.AddHostedService<OutboxWaker>();
        }
        return builder;
    }
}
