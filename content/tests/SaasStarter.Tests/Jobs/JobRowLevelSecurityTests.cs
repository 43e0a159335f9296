using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using SaasStarter.Data;
using SaasStarter.Jobs;
using SaasStarter.Tenancy;
using SaasStarter.Tests.Features;
using SaasStarter.Tests.Infrastructure;
using SaasStarter.Tests.Members;
using SaasStarter.Projects;

namespace SaasStarter.Tests.Jobs;

/// <summary>
/// Inside a per-workspace job on PostgreSQL, the database itself (row-level security, as the app's role) keeps the job to
/// its workspace: raw SQL, which no EF query filter touches, sees and writes that workspace's rows only.
/// </summary>
/// <remarks>
/// The job is a test-only <see cref="ITenantJob"/> run by the app's own <c>TenantJobRunner</c>. Modules register jobs
/// before <c>AddJobs</c> reads them, which a test's services come too late for; so the test adds the probe's definition
/// and work to the container, stores its Quartz job in the scheduler, and runs it with <see cref="JobControl"/> as any
/// job. Only the app that knows the probe runs jobs: the one the test seeds workspaces through has jobs off.
/// </remarks>
public sealed class JobRowLevelSecurityTests : IRunsOnPostgres
{
    private static readonly JobDefinition Probe = new("rls-probe", "Test: what a job's connection may see and write.");

    [PostgresFact]
    public async Task A_jobs_raw_sql_as_the_app_role_sees_and_writes_only_its_workspace()
    {
        await using var factory = new PostgresAppFactory();
        factory.WithSetting("Jobs:Enabled", "false");
        var a = await MemberWorld.FoundAsync(factory);
        var b = await MemberWorld.FoundAsync(factory);
        await factory.AddProjectAsync(a.Tenant, "A's");
        await factory.AddProjectAsync(b.Tenant, "B's");
        var findings = new ProbeFindings { OtherTenant = b.Tenant.Id };
        var runner = factory.WithWebHostBuilder(web =>
        {
            web.UseSetting("Jobs:Enabled", "true");
            web.ConfigureTestServices(services =>
            {
                services.AddSingleton(findings);
                services.AddScoped<RlsProbe>();
                services.AddSingleton(Probe with { PerTenant = true, JobType = typeof(TenantJobRunner<RlsProbe>) });
            });
        });
        var scheduler = await runner.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.AddJob(JobBuilder.Create<TenantJobRunner<RlsProbe>>().WithIdentity(Probe.Key).StoreDurably().Build(), AddJobOptions.Replacing);

        (await runner.RunNowAsync(Probe.Name, a.Tenant.Id)).AssertSucceeded();

        Assert.Equal(factory.AppRole, findings.User);
        Assert.False(findings.Privileged);
        Assert.Equal(a.Tenant.Id.ToString(), findings.TenantSetting);
        Assert.Equal([a.Tenant.Id], findings.ProjectTenants);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, findings.SmuggleError);
        Assert.Equal(0, findings.OtherTenantRowsDeleted);
        Assert.Equal(1, await factory.InTenantAsync(b.Tenant, db => db.Projects.CountAsync()));
    }

    [PostgresFact]
    public async Task The_app_role_deletes_audit_events_only_once_a_day_old_and_never_changes_one_nor_an_operator_action()
    {
        await using var factory = new PostgresAppFactory();
        factory.WithSetting("Jobs:Enabled", "false");
        var world = await MemberWorld.FoundAsync(factory);
        await world.AddAuditEventsAsync(1, TimeSpan.FromDays(2), JobWorlds.OldAction);
        await world.AddAuditEventsAsync(1, TimeSpan.FromHours(1), JobWorlds.RecentAction);
        await using var app = new NpgsqlConnection(factory.AppConnectionString);
        await app.OpenAsync();
        await using var command = app.CreateCommand();
        var key = await factory.Services.GetRequiredService<SessionKey>().GetAsync(CancellationToken.None);
        command.CommandText = $"SELECT set_config('app.tenant_id', '{SessionKey.Sign(key, "app.tenant_id", world.Tenant.Id.ToString())}', false)";
        await command.ExecuteNonQueryAsync();

        command.CommandText = $"DELETE FROM \"AuditEvents\" WHERE \"Action\" = '{JobWorlds.RecentAction}'";
        Assert.Equal(0, await command.ExecuteNonQueryAsync());
        command.CommandText = $"DELETE FROM \"AuditEvents\" WHERE \"Action\" = '{JobWorlds.OldAction}'";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        command.CommandText = "UPDATE \"AuditEvents\" SET \"Target\" = 'rewritten'";
        var update = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        Assert.Equal(1, await world.CountEventsAsync(JobWorlds.RecentAction));

        // The operator's platform actions: the app role may add them, never change or delete one.
        command.CommandText = $"INSERT INTO \"OperatorActions\" (\"Id\", \"OccurredAtUtc\", \"Action\") VALUES ('{Guid.CreateVersion7()}', now(), 'test.action')";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        foreach (var change in new[] { "UPDATE \"OperatorActions\" SET \"Target\" = 'rewritten'", "DELETE FROM \"OperatorActions\"" })
        {
            command.CommandText = change;
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    internal sealed class ProbeFindings
    {
        public Guid OtherTenant { get; init; }
        public string? User { get; set; }
        public bool Privileged { get; set; } = true;
        public string? TenantSetting { get; set; }
        public List<Guid> ProjectTenants { get; set; } = [];
        public string? SmuggleError { get; set; }
        public int OtherTenantRowsDeleted { get; set; } = -1;
    }

    internal sealed class RlsProbe(AppDbContext db, ProbeFindings findings) : ITenantJob
    {
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var other = findings.OtherTenant;
            findings.User = await db.Database.SqlQuery<string>($"SELECT current_user::text AS \"Value\"").SingleAsync(cancellationToken);
            findings.Privileged = await db.Database.SqlQuery<bool>(
                $"SELECT rolsuper OR rolbypassrls AS \"Value\" FROM pg_roles WHERE rolname = current_user").SingleAsync(cancellationToken);
            findings.TenantSetting = await db.Database.SqlQuery<string>(
                $"SELECT app_private.vouched('app.tenant_id') AS \"Value\"").SingleAsync(cancellationToken);
            findings.ProjectTenants = await db.Database.SqlQuery<Guid>($"SELECT DISTINCT \"TenantId\" AS \"Value\" FROM \"Projects\"")
                .ToListAsync(cancellationToken);
            findings.OtherTenantRowsDeleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM \"Projects\" WHERE \"TenantId\" = {other}", cancellationToken);
            try
            {
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO \"Projects\" (\"Id\", \"TenantId\", \"Name\", \"Status\", \"CreatedAtUtc\", \"UpdatedAtUtc\", \"Version\") VALUES ({Guid.CreateVersion7()}, {other}, 'smuggled', 'Active', now(), now(), 1)",
                    cancellationToken);
            }
            catch (PostgresException e)
            {
                findings.SmuggleError = e.SqlState;
            }
        }
    }
}
