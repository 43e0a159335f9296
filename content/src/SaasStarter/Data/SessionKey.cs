using System.Security.Cryptography;
using System.Text;
using Npgsql;
using SaasStarter.Core;

namespace SaasStarter.Data;

/// <summary>
/// PostgreSQL: the key with which the app signs the session settings that row-level security reads
/// (<see cref="SessionSettings"/>, checked by <c>app_private.vouched</c>, see <see cref="RowLevelSecurity"/>). The app's
/// role may set any setting, so only a signature it cannot make shows that the app, not an SQL injection, chose the
/// tenant. The key comes from <c>Database:SessionKey</c> when set (the migrator stores it in the database), else it is
/// read once from the database through <c>ConnectionStrings:Migrations</c> (the tables' owner): never through the app's
/// own role, which cannot read it. Singleton.
/// </summary>
public sealed class SessionKey(DatabaseSettings settings)
{
    /// <summary>
    /// How long a signature holds: long beyond any one connection's work, short enough that a value an injection reads
    /// from its own connection soon stops opening anything.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim loading = new(1, 1);
    private byte[]? key = settings.SessionKey;

    /// <summary>
    /// <paramref name="value"/> as <c>value|expiry|signature</c> for the setting <paramref name="setting"/>, or empty for
    /// an empty value. The expiry follows the system clock, as the database's does (never a test's fake time).
    /// </summary>
    public static string Sign(byte[]? signingKey, string setting, string value)
    {
        if (value.Length == 0 || signingKey is null) return "";
        if (value.Contains('|', StringComparison.Ordinal)) throw new ArgumentException("A signed value cannot contain '|'.", nameof(value));
        var expiry = (DateTimeOffset.UtcNow + Lifetime).ToUnixTimeSeconds();
        var signed = $"{setting}|{value}|{expiry}";
        var inner = SHA256.HashData([.. signingKey, .. Encoding.UTF8.GetBytes(signed)]);
        var outer = SHA256.HashData([.. signingKey, .. inner]);
        return $"{value}|{expiry}|{Convert.ToHexStringLower(outer)}";
    }

    /// <summary>The key, or null while the database has none (not created or not migrated yet: nothing to read then).</summary>
    public byte[]? Get() => key ?? LoadAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get"/>
    public ValueTask<byte[]?> GetAsync(CancellationToken cancellationToken) =>
        key is { } known ? ValueTask.FromResult<byte[]?>(known) : new(LoadAsync(sync: false, cancellationToken));

    private async Task<byte[]?> LoadAsync(bool sync, CancellationToken cancellationToken)
    {
        if (sync) loading.Wait(cancellationToken);
        else await loading.WaitAsync(cancellationToken);
        try
        {
            if (key is { } loaded) return loaded;
            await using var connection = new NpgsqlConnection(settings.MigrationsConnectionString ?? settings.ConnectionString);
            await using var command = new NpgsqlCommand("SELECT key FROM app_private.session_key WHERE id = 1", connection);
            if (sync) connection.Open();
            else await connection.OpenAsync(cancellationToken);
            return key = Checked(sync ? command.ExecuteScalar() : await command.ExecuteScalarAsync(cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new ConfigurationError("ConnectionStrings:Migrations",
                "is needed at run time, or Database:SessionKey: the app's role cannot read the key that signs its "
                + "row-level security settings (which is right), so the app must be given it another way.");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName
            or PostgresErrorCodes.InvalidCatalogName)
        {
            return null;
        }
        finally
        {
            loading.Release();
        }
    }

    private static byte[]? Checked(object? value) => value is byte[] { Length: >= 32 } bytes ? bytes : null;
}
