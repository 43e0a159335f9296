using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasStarter.Data;

namespace SaasStarter.Tests.Infrastructure;

public sealed class PostgresAppFactoryTests
{
    [PostgresFact]
    public async Task Each_factory_migrates_a_database_of_its_own_and_drops_it()
    {
        var factory = new PostgresAppFactory();
        string? databaseInUse;
        await using (factory)
        {
            databaseInUse = await factory.WithScopeAsync(sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                Assert.True(db.Database.IsNpgsql(), "The factory's app does not use PostgreSQL");
                return Task.FromResult(db.Database.GetDbConnection().Database);
            });
            Assert.Equal(factory.DatabaseName, databaseInUse);
            Assert.True(await DatabaseExistsAsync(factory.DatabaseName));
        }
        Assert.False(await DatabaseExistsAsync(factory.DatabaseName), $"{factory.DatabaseName} was not dropped");
    }

    private static async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
