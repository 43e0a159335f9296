using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;
using Quartz;
using SaasStarter.Data;
using SaasStarter.Tenancy;

namespace SaasStarter.Jobs;

/// <summary>
/// What Quartz runs for a per-workspace job: reads the workspace from the firing's data (<see cref="JobData.TenantId"/>),
/// opens a scope, enters the workspace in its <see cref="TenantContext"/> exactly as a request does, and runs
/// <typeparamref name="TWork"/> there. A suspended or deleted workspace, or one where the job's feature is off, is
/// skipped (recorded, not failed).
/// </summary>
internal sealed class TenantJobRunner<TWork>(IServiceScopeFactory scopes, JobCatalog catalog, ILogger<TenantJobRunner<TWork>> logger) : IJob
    where TWork : class, ITenantJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var definition = catalog.Find(context.JobDetail.Key.Name)
            ?? throw new InvalidOperationException($"Job {context.JobDetail.Key} is not in the catalog.");
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(JobData.TenantId), out var tenantId))
        {
            // A per-workspace job fired without a workspace (e.g. "trigger now" on the bare job): nothing to act for.
            throw new InvalidOperationException($"Job {definition.Name} runs per workspace; its firing names none.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var found = await services.GetRequiredService<AppDbContext>().Tenants.AsNoTracking()
            .SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (found is null || found.SuspendedAtUtc is not null)
        {
            Skip(context, definition, tenantId, found is null ? "the workspace no longer exists" : "the workspace is suspended");
            return;
        }

        services.GetRequiredService<TenantContext>().Enter(CurrentTenant.Of(found));
        if (definition.Feature is { } feature && !await services.GetRequiredService<IFeatureManager>().IsEnabledAsync(feature))
        {
            Skip(context, definition, tenantId, $"feature {feature} is off for the workspace");
            return;
        }

        await services.GetRequiredService<TWork>().RunAsync(cancellationToken);
    }

    private void Skip(IJobExecutionContext context, JobDefinition definition, Guid tenantId, string reason)
    {
        context.Result = new JobSkipped(reason);
        logger.LogInformation("Job {Job} skipped for workspace {TenantId}: {Reason}", definition.Name, tenantId, reason);
    }
}

/// <summary>Left in <see cref="IJobExecutionContext.Result"/> by a run that did nothing on purpose.</summary>
public sealed record JobSkipped(string Reason);
