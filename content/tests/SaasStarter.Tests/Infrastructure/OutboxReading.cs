using System.Globalization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SaasStarter.Data;
using SaasStarter.Email;

namespace SaasStarter.Tests.Infrastructure;

/// <summary>An outbox email with its body opened by the app's own keys, as the dev outbox page opens it: what the recipient reads.</summary>
public sealed record OpenedEmail(OutboxEmail Row, string HtmlBody)
{
    public string To => Row.To;
    public string Subject => Row.Subject;
}

/// <summary>The outbox as tests read it: rows through EF, bodies opened with the app's keys, or the raw table.</summary>
public static class OutboxReading
{
    /// <summary>Every email in the outbox to <paramref name="to"/>, oldest first (bodies still protected).</summary>
    public static async Task<List<OutboxEmail>> OutboxEmailsToAsync(this WebApplicationFactory<Program> app, string to)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxEmails.AsNoTracking()
            .Where(e => e.To == to)
            .OrderBy(e => e.CreatedAtUtc)
            .ToListAsync();
    }

    /// <summary>Every email to <paramref name="to"/>, oldest first, each body opened (the test fails if one does not open).</summary>
    public static async Task<List<OpenedEmail>> OpenedEmailsToAsync(this WebApplicationFactory<Program> app, string to) =>
        [.. (await app.OutboxEmailsToAsync(to)).Select(email => new OpenedEmail(email, app.BodyOf(email)))];

    /// <summary>The body of <paramref name="email"/> in clear, opened with the app's keys; the test fails if it does not open.</summary>
    public static string BodyOf(this WebApplicationFactory<Program> app, OutboxEmail email)
    {
        Assert.True(app.Services.GetRequiredService<OutboxBodies>().TryOpen(email, out var body),
            $"The body of the email {email.Id} to {email.To} does not open (removed: {email.ProtectedHtmlBody is null})");
        return body;
    }

    /// <summary>
    /// Every row of the OutboxEmails table, each column's value as text (null for NULL), read with raw SQL over the app's
    /// own connection: on PostgreSQL as the app's role, as anyone who can query the database reads it.
    /// </summary>
    public static Task<List<Dictionary<string, string?>>> OutboxTableAsync(this AppFactory app) =>
        app.WithScopeAsync(async services =>
        {
            var database = services.GetRequiredService<AppDbContext>().Database;
            await database.OpenConnectionAsync();
            try
            {
                await using var command = database.GetDbConnection().CreateCommand();
                command.CommandText = """SELECT * FROM "OutboxEmails" """;
                await using var reader = await command.ExecuteReaderAsync();
                var rows = new List<Dictionary<string, string?>>();
                while (await reader.ReadAsync())
                {
                    rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName,
                        i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));
                }
                return rows;
            }
            finally
            {
                await database.CloseConnectionAsync();
            }
        });
}
