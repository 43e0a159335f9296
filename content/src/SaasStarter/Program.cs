using SaasStarter.Accounts;
using SaasStarter.Accounts.Setup;
using SaasStarter.Api;
using SaasStarter.Api.RateLimits;
using SaasStarter.ApiKeys;
using SaasStarter.Audit;
using SaasStarter.Core;
using SaasStarter.Data;
using SaasStarter.Email;
using SaasStarter.Features;
using SaasStarter.Hosting;
using SaasStarter.Jobs;
using SaasStarter.Members;
using SaasStarter.Operator;
using SaasStarter.Pages;
using SaasStarter.Plans;
using SaasStarter.Projects;
using SaasStarter.Tenancy;
using SaasStarter.Tenants;

if (args is ["healthcheck", ..])
{
    return await HealthProbe.RunAsync();
}

try
{
    // Every module, platform first, each one line; a module registers what it owns and declares what it contributes
    // (permissions, audit actions, flags, plan limits, navigation, jobs) here, in its own Add method, and nowhere else.
    var builder = WebApplication.CreateBuilder(args);
    builder.AddHosting();
    builder.AddData();
    builder.AddTenancy();
    builder.AddJobs();
    builder.AddPlans();
    builder.AddFeatures();
    builder.AddApi();
    builder.AddAudit();
    builder.AddEmail();
    builder.AddTenants();
    builder.AddAccounts();
    builder.AddMembers();
    builder.AddApiKeys();
    builder.AddOperator();
    builder.AddProjects();
    builder.AddPages();

    var app = builder.Build();
    // The catalogs check what the modules declared, and the settings that name it, before anything runs.
    app.CheckStartup();
    if (args is ["migrate", ..])
    {
        return await app.MigrateAsync();
    }

    await app.PrepareDatabaseAsync();
    await app.PrepareOperatorSetupAsync();

    app.UseHosting();
    app.UseAuthentication();
    app.UseTenancy();
    app.UseAuthorization();
    app.UseApiLimits();
    app.MapStaticAssets();
    app.MapHealth();
    app.MapApi();
    app.MapTenants();
    app.MapMembers();
    app.MapAudit();
    app.MapProjects();
    app.MapRazorPages().WithStaticAssets();
    await app.RunAsync();
    return 0;
}
catch (ConfigurationError error)
{
    // One line that names the setting, then a non-zero exit: the container restarts into the same message.
    Console.Error.WriteLine($"Configuration error: {error.Message}");
    return 2;
}
