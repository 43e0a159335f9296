using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SaasStarter.Data;

public static class DataModule
{
    /// <summary>Picks the provider from <c>Database:Provider</c> and registers its context as <see cref="AppDbContext"/>.</summary>
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var settings = DatabaseSettings.Read(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);

        if (settings.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddSingleton<SessionKey>();
            builder.Services.AddSingleton<SessionSettings>();
            builder.Services.AddDbContext<AppDbContext, PostgresAppDbContext>((services, options) =>
                options.UseNpgsql(settings.ConnectionString).AddInterceptors(services.GetRequiredService<SessionSettings>())
                    // New tenant-owned tables get row-level security in the migration that creates them.
                    .ReplaceService<IMigrationsModelDiffer, RowLevelSecurityDiffer>());
        }
        else
        {
            builder.Services.AddDbContext<AppDbContext, SqliteAppDbContext>(options =>
                options.UseSqlite(settings.ConnectionString).AddInterceptors(new SqlitePragmas()));
        }

        // Keys in the database: sign-in cookies survive restarts and are shared by every replica.
        builder.Services.AddDataProtection()
            .SetApplicationName("SaasStarter")
            .PersistKeysToDbContext<AppDbContext>();

        return builder;
    }
}
