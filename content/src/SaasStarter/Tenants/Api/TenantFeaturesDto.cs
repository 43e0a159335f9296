using System.Text.Json;
using SaasStarter.Api;
using SaasStarter.Api.OpenApi;
using SaasStarter.Features;

namespace SaasStarter.Tenants.Api;

/// <summary>
/// What the key's tenant has: its plan, each flag's value for it, and its plan's limits by name, each with what the tenant
/// uses of it where the limit counts something. Limits are keyed by their name in camel case (<c>Projects</c>: <c>projects</c>).
/// </summary>
public sealed record TenantFeaturesDto(TenantPlanDto Plan, IReadOnlyList<TenantFeatureDto> Features, IReadOnlyDictionary<string, LimitUsageDto> Limits)
    : IApiExample<TenantFeaturesDto>
{
    public static TenantFeaturesDto Example => new(
        new TenantPlanDto("free", "Free"),
        [
            new TenantFeatureDto(ApiModule.Feature, true, "API keys and the integration API (/api/v1)."),
            new TenantFeatureDto("ProjectBoard", false, "Beta: the projects on a board, by status."),
            new TenantFeatureDto("ProjectExport", false, "Download the projects as a CSV file."),
        ],
        new Dictionary<string, LimitUsageDto>
        {
            ["members"] = new(5, 3),
            ["projects"] = new(25, 12),
            ["apiRequestsPerMinute"] = new(120, null),
            ["auditRetentionDays"] = new(30, null),
        });

    public static TenantFeaturesDto From(TenantFeatureReport.Report report) => new(
        new TenantPlanDto(report.Plan.Id, report.Plan.Name),
        [.. report.Features.Select(f => new TenantFeatureDto(f.Feature.Name, f.Enabled, f.Feature.Description))],
        report.Limits.ToDictionary(l => JsonNamingPolicy.CamelCase.ConvertName(l.Name), l => new LimitUsageDto(report.Plan.Limit(l.Name), report.Used.TryGetValue(l.Name, out var used) ? used : null)));
}

public sealed record TenantPlanDto(string Id, string Name);

/// <summary>A flag as the tenant gets it (whatever decided it: the plan, a switch or the configured rules).</summary>
public sealed record TenantFeatureDto(string Name, bool Enabled, string Description);

/// <summary>
/// How many the plan allows (null: no limit) and, for a limit that counts something, how many the tenant has (null for a
/// rate or a retention period). Members count the invitations still waiting, as that limit does.
/// </summary>
public sealed record LimitUsageDto(int? Limit, int? Used);
