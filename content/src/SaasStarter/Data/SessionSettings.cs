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
/// (OpenConnection, a transaction) does not reach it before the next open.
/// </summary>
internal sealed class SessionSettings : DbConnectionInterceptor
{
    public static readonly SessionSettings Instance = new();

    private const string Sql =
        "select set_config('app.tenant_id', @tenant, false), set_config('app.user_id', @user, false), "
        + "set_config('app.invitation_token', @invitation, false), set_config('app.api_key', @apikey, false), "
        + "set_config('app.platform_bypass', @bypass, false)";

    private SessionSettings()
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection, eventData);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection, eventData);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, ConnectionEndEventData eventData)
    {
        var db = eventData.Context as AppDbContext;
        var tenant = db?.CurrentTenantId ?? Guid.Empty;
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        Add(command, "tenant", tenant == Guid.Empty ? "" : tenant.ToString());
        Add(command, "user", db?.MembershipsUserId?.ToString() ?? "");
        Add(command, "invitation", db?.InvitationTokenHash ?? "");
        Add(command, "apikey", db?.ApiKeyPublicId ?? "");
        Add(command, "bypass", db?.PlatformBypassReason is null ? "off" : "on");
        return command;
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
