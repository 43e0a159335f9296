using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasStarter.Api;
using SaasStarter.Api.Keys;
using SaasStarter.Core;
using SaasStarter.Data;

namespace SaasStarter.Audit.Api;

/// <summary>
/// <c>GET /api/v1/audit-events</c> (audit.read): the workspace's audit log, newest first, paged, filtered like the
/// audit page (<see cref="AuditFilters"/>) by action, actor and a moment to start from.
/// </summary>
internal static class AuditEventsApi
{
    public const int MaxActorLength = 256;

    /// <summary>
    /// An audit event. <c>actorEmail</c> is a person's email, or for a key's action its label
    /// (<c>api key "name" (sk_live_publicid…)</c>); <c>detail</c> is the event's JSON object, or null.
    /// </summary>
    public sealed record AuditEventDto(Guid Id, DateTime OccurredAtUtc, string Action, string? ActorEmail, string? Target, string? IpAddress,
        JsonElement? Detail);

    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/audit-events", ListAsync)
            .RequireApiKey()
            .RequireScope(AuditPermissions.Read)
            .WithName("ListAuditEvents")
            .WithSummary("The workspace's audit events, newest first, paged; filter by action, actor (part of the email) and since (ISO 8601).");

    private static async Task<Results<Ok<PagedList<AuditEventDto>>, ValidationProblem>> ListAsync(
        AppDbContext db, AuditActionCatalog actions, HttpRequest request, int? page, int? pageSize, string? action, string? actor, string? since,
        CancellationToken cancellationToken)
    {
        var errors = ApiPaging.Problems(page, pageSize) ?? [];
        if (!string.IsNullOrWhiteSpace(action) && actions.Find(action) is null)
        {
            errors["action"] = [$"action must be one of {string.Join(", ", actions.All.Select(a => a.Name))}."];
        }
        if (actor?.Length > MaxActorLength) errors["actor"] = [$"actor is at most {MaxActorLength} characters."];
        DateTime? sinceUtc = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)) sinceUtc = moment.UtcDateTime;
            else errors["since"] = ["since must be an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        // The tenant's query filter already limits this to the key's workspace.
        var found = await db.AuditEvents.AsNoTracking().Matching(action, actor, sinceUtc).NewestFirst()
            .ToPagedListAsync(request, page, pageSize, cancellationToken);
        return TypedResults.Ok(new PagedList<AuditEventDto>([.. found.Items.Select(ToDto)], found.Page, found.PageSize, found.Total, found.Links));
    }

    private static AuditEventDto ToDto(AuditEvent e) =>
        new(e.Id, DateTime.SpecifyKind(e.OccurredAtUtc, DateTimeKind.Utc), e.Action, e.ActorEmail, e.Target, e.IpAddress, DetailOf(e.Detail));

    /// <summary>
    /// The stored detail as the JSON object it was written as. One cut short by the column's length limit no longer
    /// parses; it is given as <c>{"text": "..."}</c> rather than dropped.
    /// </summary>
    private static JsonElement? DetailOf(string? detail)
    {
        if (detail is null) return null;
        try
        {
            using var parsed = JsonDocument.Parse(detail);
            if (parsed.RootElement.ValueKind == JsonValueKind.Object) return parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Falls through to the text form.
        }
        return JsonSerializer.SerializeToElement(new { text = detail });
    }
}
