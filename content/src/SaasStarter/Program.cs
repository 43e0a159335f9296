using SaasStarter.Accounts;
using SaasStarter.Accounts.Setup;
using SaasStarter.Api;
using SaasStarter.ApiKeys;
using SaasStarter.Audit;
using SaasStarter.Data;
using SaasStarter.Features;
using SaasStarter.Hosting;
using SaasStarter.Jobs;
using SaasStarter.Members;
using SaasStarter.Pages;
using SaasStarter.Projects;
using SaasStarter.Tenancy;

if (args is ["healthcheck", ..])
{
    return await HealthProbe.RunAsync();
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddHosting();
    builder.AddData();
    builder.AddAccounts();
    builder.AddTenancy();
    builder.AddMembers();
    builder.AddAudit();
    builder.AddApi();
    builder.AddApiKeys();
    builder.AddProjects();
    builder.AddFeatures();
    builder.AddJobs();
    builder.AddPages();

    var app = builder.Build();
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
    app.MapStaticAssets();
    app.MapHealth();
    app.MapApi();
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
