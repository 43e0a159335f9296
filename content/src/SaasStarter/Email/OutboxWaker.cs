using Quartz;

namespace SaasStarter.Email;

/// <summary>
/// Turns <see cref="OutboxSignal"/> pokes into a run of <see cref="SmtpDelivery"/> at once (the trigger
/// <see cref="OutboxWakeUps.Now"/>). A poke only releases a semaphore and this writes the trigger later, on its own
/// connection: storing an email inside a request's transaction never waits on the job store (on SQLite it would wait
/// for that very transaction). Also pokes once at start, for emails stored while no process was delivering.
/// </summary>
internal sealed class OutboxWaker(OutboxSignal signal, ISchedulerFactory schedulers, ILogger<OutboxWaker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signal.Poke();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                var scheduler = await schedulers.GetScheduler(stoppingToken);
                await OutboxWakeUps.WakeAtAsync(scheduler, OutboxWakeUps.Now, DateTimeOffset.UtcNow, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The email is stored all the same: the job's schedule finds it.
                logger.LogWarning(e, "Email delivery could not be woken; queued emails go out at its next scheduled run ({Cron})",
                    SmtpDelivery.Definition.Cron);
            }
        }
    }
}
