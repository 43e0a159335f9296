namespace SaasStarter.Features;

/// <summary>
/// The flags the code gates on. Each is declared, with its description and rules, under <c>feature_management</c> in
/// appsettings.json; the app refuses to start when one is missing there.
/// </summary>
public static class FeatureNames
{
    /// <summary>API keys and /api/v1: on in every plan; the operator can switch it off for one workspace.</summary>
    public const string Api = "Api";

    /// <summary>A board of the projects by status: a beta that owners may switch on.</summary>
    public const string ProjectBoard = "ProjectBoard";

    /// <summary>Downloading the projects as CSV: a plan feature (Pro and up by default).</summary>
    public const string ProjectExport = "ProjectExport";

    /// <summary>The Monday email to owners and admins about the projects' week (<see cref="Projects.WeeklySummary"/>): on, owners may switch it off.</summary>
    public const string WeeklySummary = "WeeklySummary";

    public static IReadOnlyList<string> All { get; } = [Api, ProjectBoard, ProjectExport, WeeklySummary];
}
