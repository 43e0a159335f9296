using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Tests.Infrastructure;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// Runs jobs through the app's real scheduler and waits for what <see cref="RunHistory"/> records: the JobRuns rows are
/// the only sign a test gets that a firing ended, so it polls them.
/// </summary>
internal static class JobRunWaiter
{
    /// <summary>Generous: a run waits its turn behind other tests' work on a busy machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>"Run now" as an owner or the operator does it (<see cref="JobControl.RunNowAsync"/>), then the run once it ended.</summary>
    public static async Task<JobRun> RunNowAsync<TEntry>(this WebApplicationFactory<TEntry> app, string jobName, Guid? tenantId)
        where TEntry : class
    {
        var requestedBy = await app.RequestRunAsync(jobName, tenantId);
        var runs = await app.WaitForRunsAsync(runs => runs.Where(r => r.RequestedBy == requestedBy), 1);
        return runs.Single();
    }

    /// <summary>"Run now" without waiting; answers the requester that marks this firing's row apart from every other run of the job.</summary>
    public static async Task<string> RequestRunAsync<TEntry>(this WebApplicationFactory<TEntry> app, string jobName, Guid? tenantId)
        where TEntry : class
    {
        var requestedBy = $"runner-{Guid.NewGuid():N}@example.com";
        await using var scope = app.Services.CreateAsyncScope();
        var definition = scope.ServiceProvider.GetRequiredService<JobCatalog>().Find(jobName)
            ?? throw new InvalidOperationException($"No job {jobName}.");
        await scope.ServiceProvider.GetRequiredService<JobControl>().RunNowAsync(definition, tenantId, requestedBy);
        return requestedBy;
    }

    /// <summary>
    /// Waits until <paramref name="select"/> finds at least <paramref name="count"/> runs and none of them is still running;
    /// fails after <see cref="Timeout"/> saying what it found.
    /// </summary>
    public static async Task<List<JobRun>> WaitForRunsAsync<TEntry>(this WebApplicationFactory<TEntry> app,
        Func<IQueryable<JobRun>, IQueryable<JobRun>> select, int count) where TEntry : class
    {
        return await Eventually.UntilAsync(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                return await select(scope.ServiceProvider.GetRequiredService<AppDbContext>().JobRuns.AsNoTracking()).ToListAsync();
            },
            runs => runs.Count >= count && runs.All(r => r.Outcome != JobOutcome.Running), Timeout, $"{count} ended job runs",
            runs => string.Join("; ", runs.Select(r => $"{r.JobName} {r.TenantId} {r.Outcome} {r.Error}")));
    }

    public static void AssertSucceeded(this JobRun run) =>
        Assert.True(run.Outcome == JobOutcome.Succeeded, $"{run.JobName} for {run.TenantId} ended {run.Outcome}: {run.Error}");
}
