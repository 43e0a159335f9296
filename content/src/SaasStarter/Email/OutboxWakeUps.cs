using Quartz;
using SaasStarter.Jobs;

namespace SaasStarter.Email;

/// <summary>
/// The one-off triggers that run <see cref="SmtpDelivery"/> outside its schedule: <see cref="Now"/> when the app
/// stores an email, <see cref="NextDue"/> when the next retry (or an abandoned claim) comes due. Each has a fixed key
/// and is replaced, never added to, so any number of wake-ups before a run collapse into one firing.
/// </summary>
internal static class OutboxWakeUps
{
    public static readonly TriggerKey Now = new($"{SmtpDelivery.Definition.Name}.now", JobDefinition.Group);
    public static readonly TriggerKey NextDue = new($"{SmtpDelivery.Definition.Name}.next-due", JobDefinition.Group);

    /// <summary>The job's own schedule: paused with the job by <see cref="JobControl.PauseAsync"/>.</summary>
    private static readonly TriggerKey Schedule = SmtpDelivery.Definition.ScheduleKey;

    /// <summary>
    /// Runs delivery at <paramref name="atUtc"/> (at once if that has passed), replacing the trigger
    /// <paramref name="key"/> names. While someone has paused the job, the wake-up is stored paused too: resuming the
    /// job releases it, and a pause is not undone by the next email.
    /// </summary>
    public static async Task WakeAtAsync(IScheduler scheduler, TriggerKey key, DateTimeOffset atUtc, CancellationToken cancellationToken)
    {
        var paused = await scheduler.GetTriggerState(Schedule, cancellationToken) == TriggerState.Paused;
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(SmtpDelivery.Definition.Key)
            .StartAt(atUtc)
            .WithDescription(key == Now ? "an email was stored" : "the next retry is due")
            .Build();
        await scheduler.ScheduleJob(trigger, new ScheduleJobOptions { Replace = true, Paused = paused }, cancellationToken);
    }
}
