using Microsoft.EntityFrameworkCore;
using Quartz;
using SaasStarter.Data;

namespace SaasStarter.Jobs;

/// <summary>
/// Starts the scheduler once the database is migrated (Quartz's tables come from the app's migrations, so an app
/// started before the <c>migrate</c> verb ran waits instead of failing), and stops it with the app, waiting for running
/// jobs within the host's shutdown timeout. What a stop cuts off, a recoverable job runs again on the next start.
/// </summary>
internal sealed class SchedulerHost(ISchedulerFactory schedulers, IServiceScopeFactory scopes, ILogger<SchedulerHost> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private IScheduler? scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!await MigratedAsync(stoppingToken))
        {
            logger.LogInformation("Jobs wait for the database's migrations; checking again in {Delay}", PollInterval);
            await Task.Delay(PollInterval, stoppingToken);
        }
        scheduler = await schedulers.GetScheduler(stoppingToken);
        await scheduler.Start(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (scheduler is null) return;
        try
        {
            // Returns when running jobs finish or the host's shutdown timeout cancels the wait.
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Out of time (or the host already tearing down its services): what still runs is cut off with the process,
            // and a recoverable job runs again on the next start or on another node. Stopping itself must not fail.
            logger.LogWarning(e, "Jobs did not finish within the shutdown timeout; recoverable ones run again on the next start");
        }
    }

    private async Task<bool> MigratedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            return await db.Database.CanConnectAsync(cancellationToken)
                && !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Jobs cannot reach the database yet");
            return false;
        }
    }
}
