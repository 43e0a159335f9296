using Microsoft.Data.Sqlite;
using SaasStarter.Hosting;
using SaasStarter.Core;

namespace SaasStarter.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Database</c> section and <c>ConnectionStrings:Default</c>, read and checked once at start-up.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup)
{
    /// <summary>
    /// PostgreSQL only: <c>ConnectionStrings:Migrations</c>, a privileged connection (the tables' owner) that applies
    /// migrations, while <see cref="ConnectionString"/> is the app's own role, under row-level security. Null: the
    /// app's connection migrates too.
    /// </summary>
    public string? MigrationsConnectionString { get; init; }

    /// <summary>
    /// PostgreSQL only: <c>Database:SessionKey</c> (Base64, at least 32 bytes), the key that signs the row-level security
    /// settings (<see cref="Data.SessionKey"/>), for an app that runs without <see cref="MigrationsConnectionString"/>;
    /// the migrator stores it. Null: the database's own key, read through the migrations connection.
    /// </summary>
    public byte[]? SessionKey { get; init; }

    public const string SqliteFileName = "app.db";

    public static DatabaseSettings Read(IConfiguration config, string contentRoot)
    {
        var providerText = config["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider)
            || !Enum.IsDefined(provider) || int.TryParse(providerText, out _))
        {
            throw new ConfigurationError("Database:Provider", $"'{providerText}' is not supported; use Sqlite or Postgres.");
        }

        var migrate = ReadBool(config, "Database:MigrateOnStartup", defaultValue: provider == DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString("Default");

        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new ConfigurationError("ConnectionStrings:Default",
                    "is required when Database:Provider is Postgres (e.g. Host=db;Database=app;Username=app;Password=...).");
            }
            var migrations = config.GetConnectionString("Migrations");
            return new(provider, connectionString, migrate)
            {
                MigrationsConnectionString = string.IsNullOrWhiteSpace(migrations) ? null : migrations,
                SessionKey = ReadSessionKey(config),
            };
        }

        return new(provider, SqliteConnectionString(config, contentRoot, connectionString), migrate);
    }

    /// <summary>
    /// The default SQLite file lives in <c>Database:DataDirectory</c> (the container mounts <c>/data</c>),
    /// and its folder is created so the first run needs no set-up.
    /// </summary>
    private static string SqliteConnectionString(IConfiguration config, string contentRoot, string? configured)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(configured);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationError("ConnectionStrings:Default", $"is not a valid SQLite connection string ({e.Message}).");
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            var dataDirectory = Path.GetFullPath(config["Database:DataDirectory"] ?? "App_Data", contentRoot);
            builder.DataSource = Path.Combine(dataDirectory, SqliteFileName);
        }

        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource, contentRoot));
            try
            {
                if (folder is not null) Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationError("Database:DataDirectory", $"cannot create '{folder}' ({e.Message}).");
            }
        }
        return builder.ToString();
    }

    private static byte[]? ReadSessionKey(IConfiguration config)
    {
        var text = config["Database:SessionKey"];
        if (string.IsNullOrWhiteSpace(text)) return null;
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var length) && length >= 32
            ? bytes[..length]
            : throw new ConfigurationError("Database:SessionKey",
                "is not Base64 of at least 32 bytes (make one with: openssl rand -base64 32).");
    }

    private static bool ReadBool(IConfiguration config, string key, bool defaultValue)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text)) return defaultValue;
        return bool.TryParse(text, out var value)
            ? value
            : throw new ConfigurationError(key, $"'{text}' is not true or false.");
    }
}
