using SaasStarter.Api.OpenApi;

namespace SaasStarter.Features.Api;

/// <summary>What the key's workspace has: its plan, each flag's value for it, and its plan's limits beside its usage.</summary>
public sealed record WorkspaceFeaturesDto(WorkspacePlanDto Plan, IReadOnlyList<WorkspaceFeatureDto> Features, WorkspaceLimitsDto Limits)
    : IApiExample<WorkspaceFeaturesDto>
{
    public static WorkspaceFeaturesDto Example => new(
        new WorkspacePlanDto("free", "Free"),
        [
            new WorkspaceFeatureDto(FeatureNames.Api, true, "API keys and the integration API (/api/v1)."),
            new WorkspaceFeatureDto(FeatureNames.ProjectBoard, false, "Beta: the projects on a board, by status."),
            new WorkspaceFeatureDto(FeatureNames.ProjectExport, false, "Download the projects as a CSV file."),
        ],
        new WorkspaceLimitsDto(new LimitUsageDto(5, 3), new LimitUsageDto(25, 12), 120, 30));

    public static WorkspaceFeaturesDto From(WorkspaceFeatureReport.Report report) => new(
        new WorkspacePlanDto(report.Plan.Id, report.Plan.Name),
        [.. report.Features.Select(f => new WorkspaceFeatureDto(f.Feature.Name, f.Enabled, f.Feature.Description))],
        new WorkspaceLimitsDto(
            new LimitUsageDto(report.Plan.Limits.Members, report.Usage.Seats),
            new LimitUsageDto(report.Plan.Limits.Projects, report.Usage.Projects),
            report.Plan.Limits.ApiRequestsPerMinute,
            report.Plan.Limits.AuditRetentionDays));
}

public sealed record WorkspacePlanDto(string Id, string Name);

/// <summary>A flag as the workspace gets it (whatever decided it: the plan, a switch or the configured rules).</summary>
public sealed record WorkspaceFeatureDto(string Name, bool Enabled, string Description);

/// <summary>The plan's limits; null is unlimited. Members count the invitations still waiting, as the limit does.</summary>
public sealed record WorkspaceLimitsDto(LimitUsageDto Members, LimitUsageDto Projects, int? ApiRequestsPerMinute, int? AuditRetentionDays);

/// <summary>How many the plan allows (null: no limit) and how many the workspace has.</summary>
public sealed record LimitUsageDto(int? Limit, int Used);
