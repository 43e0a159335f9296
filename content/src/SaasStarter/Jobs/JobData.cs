namespace SaasStarter.Jobs;

/// <summary>The keys of a firing's job data that the app itself reads.</summary>
public static class JobData
{
    /// <summary>The workspace a per-workspace job runs for.</summary>
    public const string TenantId = "tenantId";

    /// <summary>A fan-out's job: the per-workspace job it fires once for each active workspace.</summary>
    public const string Target = "target";

    /// <summary>Who asked for a manual run (their email), for the history.</summary>
    public const string RequestedBy = "requestedBy";
}
