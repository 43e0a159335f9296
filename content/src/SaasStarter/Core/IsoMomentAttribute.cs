using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace SaasStarter.Core;

/// <summary>A text that must read as an ISO 8601 date and time (a moment in a query string, e.g. <c>since</c>); empty is no value.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IsoMomentAttribute() : ValidationAttribute("{0} must be an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z.")
{
    public override bool IsValid(object? value) => value is not string text || string.IsNullOrWhiteSpace(text) || Parse(text) is not null;

    /// <summary>The moment in UTC (a moment without an offset is read as UTC), or null.</summary>
    public static DateTime? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) ? moment.UtcDateTime : null;
}
