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
    private const string Sql =
        "select set_config('app.tenant_id', @tenant, false), set_config('app.user_id', @user, false), "
        + "set_config('app.invitation_token', @invitation, false), set_config('app.api_key', @apikey, false), "
        + "set_config('app.platform_bypass', @bypass, false)";

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
        var tenant = db?.CurrentTenantId ?? Guid.Empty;
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        Add(command, signingKey, "tenant", "app.tenant_id", tenant == Guid.Empty ? "" : tenant.ToString());
        Add(command, signingKey, "user", "app.user_id", db?.MembershipsUserId?.ToString() ?? "");
        Add(command, signingKey, "invitation", "app.invitation_token", db?.InvitationTokenHash ?? "");
        Add(command, signingKey, "apikey", "app.api_key", db?.ApiKeyPublicId ?? "");
        Add(command, signingKey, "bypass", "app.platform_bypass", db?.PlatformBypassReason is null ? "" : "on");
        return command;
    }

    private static void Add(DbCommand command, byte[]? signingKey, string name, string setting, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = SessionKey.Sign(signingKey, setting, value);
        command.Parameters.Add(parameter);
    }
}
