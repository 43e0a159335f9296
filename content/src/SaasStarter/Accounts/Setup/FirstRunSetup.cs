using Microsoft.EntityFrameworkCore;
using SaasStarter.Data;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Accounts.Setup;

public static class FirstRunSetup
{
    /// <summary>
    /// While no platform operator exists: create it from Setup:AdminEmail/Setup:AdminPassword when both are
    /// set, otherwise log a one-time /setup URL once the server listens.
    /// </summary>
    public static async Task PrepareOperatorSetupAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SaasStarter.Setup");
        var email = app.Configuration["Setup:AdminEmail"];
        var password = app.Configuration["Setup:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) != string.IsNullOrEmpty(password))
        {
            throw new ConfigurationError(string.IsNullOrWhiteSpace(email) ? "Setup:AdminEmail" : "Setup:AdminPassword",
                "Setup:AdminEmail and Setup:AdminPassword must be set together.");
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!await IsMigratedAsync(db)) return; // the migrate verb comes first; the readiness check says so

        var setup = scope.ServiceProvider.GetRequiredService<OperatorSetup>();
        if (await setup.OperatorExistsAsync()) return;

        if (!string.IsNullOrWhiteSpace(email) && password is not null)
        {
            var result = await setup.CreateOperatorAsync(email.Trim(), password);
            if (!result.Succeeded)
            {
                throw new ConfigurationError("Setup:AdminPassword",
                    $"cannot create the operator {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
            logger.LogInformation("Platform operator {Email} created from Setup:AdminEmail", email);
            return;
        }

        var token = app.Services.GetRequiredService<SetupToken>();
        var origin = app.Services.GetRequiredService<PublicOrigin>();
        app.Lifetime.ApplicationStarted.Register(() =>
            logger.LogWarning("No platform operator yet. Create one at {SetupUrl}", origin.Link($"/setup?token={token.Value}")));
    }

    private static async Task<bool> IsMigratedAsync(AppDbContext db)
    {
        try
        {
            return !(await db.Database.GetPendingMigrationsAsync()).Any();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }
}
