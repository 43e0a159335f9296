using System.ComponentModel.DataAnnotations;
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

    /// <summary>
    /// The filters: <c>action</c> one the modules declared, <c>actor</c> part of an email or key label, <c>since</c> an
    /// ISO 8601 moment (events from then on). Each rule is an attribute, so one answer names every broken one.
    /// </summary>
    public sealed record AuditEventQuery : PageRequest
    {
        [DeclaredAuditAction]
        public string? Action { get; init; }

        [MaxLength(MaxActorLength, ErrorMessage = "actor is at most {1} characters.")]
        public string? Actor { get; init; }

        [IsoMoment(ErrorMessage = "since must be an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z.")]
        public string? Since { get; init; }

        public DateTime? SinceUtc => IsoMomentAttribute.Parse(Since);
    }

    /// <summary>An action some module declared (the catalog is only known at run time, so it is asked for here).</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class DeclaredAuditActionAttribute : ValidationAttribute
    {
        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
        {
            if (value is not string action || string.IsNullOrWhiteSpace(action)) return ValidationResult.Success;
            var actions = (AuditActionCatalog?)validationContext.GetService(typeof(AuditActionCatalog))
                ?? throw new InvalidOperationException("Validation has no services: the declared audit actions cannot be read.");
            return actions.Find(action) is not null
                ? ValidationResult.Success
                : new ValidationResult($"action must be one of {string.Join(", ", actions.All.Select(a => a.Name))}.", [validationContext.MemberName!]);
        }
    }

    private static async Task<Ok<PagedList<AuditEventDto>>> ListAsync(
        [AsParameters] AuditEventQuery query, AppDbContext db, HttpRequest request, CancellationToken cancellationToken)
    {
        // The tenant's query filter already limits this to the key's workspace.
        var found = await db.AuditEvents.AsNoTracking().Matching(query.Action, query.Actor, query.SinceUtc).NewestFirst()
            .ToPagedListAsync(request, query, cancellationToken);
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
