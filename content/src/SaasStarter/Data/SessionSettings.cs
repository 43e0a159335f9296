using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
namespace SaasStarter.Data;

/// <summary>
/// PostgreSQL: every connection the context opens carries the context's tenancy as session settings, which the
/// row-level security policies read (see <see cref="RowLevelSecurity"/>): <c>app.tenant_id</c> (the current tenant),
/// <c>app.user_id</c> (whose memberships a platform query reads),
/// <c>app.invitation_token</c> (the invitation being accepted), <c>app.api_key</c> (the key authenticating a request) and <c>app.platform_bypass</c>
/// (Tenancy's PlatformBypass). EF opens a connection per query or per SaveChanges (outside an explicit
/// transaction), so the values are those of the moment; all are written at every open, so a pooled
/// connection never keeps another scope's values. Entering a tenant while a connection is held open
/// (OpenConnection, a transaction) does not reach it before the next open. Each value is signed with the
/// <see cref="SessionKey"/>: the policies ignore one the app did not sign. Singleton.
/// </summary>
internal sealed class SessionSettings(SessionKey key) : DbConnectionInterceptor
{
    /// <summary>Each setting the policies read, with its value in a context (empty: none).</summary>
    private static readonly (string Setting, Func<AppDbContext?, string> Value)[] Settings =
    [
        ("app.tenant_id", db => db?.CurrentTenantId is { } tenant && tenant != Guid.Empty ? tenant.ToString() : ""),
        ("app.user_id", db => db?.MembershipsUserId?.ToString() ?? ""),
        ("app.invitation_token", db => db?.InvitationTokenHash ?? ""),
        ("app.api_key", db => db?.ApiKeyPublicId ?? ""),
        ("app.platform_bypass", db => db?.PlatformBypassReason is null ? "" : "on"),
    ];

    private static readonly string Sql =
        "select " + string.Join(", ", Settings.Select((s, i) => $"set_config('{s.Setting}', @p{i}, false)"));

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection, eventData, key.Get());
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection, eventData, await key.GetAsync(cancellationToken));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, ConnectionEndEventData eventData, byte[]? signingKey)
    {
        var db = eventData.Context as AppDbContext;
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        for (var i = 0; i < Settings.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"p{i}";
            parameter.Value = SessionKey.Sign(signingKey, Settings[i].Setting, Settings[i].Value(db));
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
