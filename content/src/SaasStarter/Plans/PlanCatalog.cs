using System.Globalization;
using System.Text.RegularExpressions;
using SaasStarter.Features;
using SaasStarter.Hosting;

namespace SaasStarter.Plans;

/// <summary>
/// The plans from configuration, read and checked once at start-up: <c>Plans:Default</c> (the plan of a workspace that
/// has none assigned) and <c>Plans:Catalog</c>, an array in the order the pages list them. A mistake (an unknown flag, a
/// duplicate id, a limit below 1) stops the app with one line naming the setting. Without a <c>Plans</c> section there is
/// one plan, "default", with no limits, that leaves every flag to its configured default.
/// </summary>
public sealed partial class PlanCatalog
{
    public const string Section = "Plans";
    private const int MaxLimit = 100_000_000;

    private PlanCatalog(IReadOnlyList<Plan> all, Plan fallback)
    {
        All = all;
        Default = fallback;
    }

    public IReadOnlyList<Plan> All { get; }

    public Plan Default { get; }

    /// <summary>The plan named <paramref name="id"/>, or null when no plan has that id.</summary>
    public Plan? Find(string? id) => id is null ? null : All.FirstOrDefault(p => p.Id == id);

    /// <summary>A workspace's plan: its own, or <see cref="Default"/> when it has none (or one since removed from configuration).</summary>
    public Plan Of(string? id) => Find(id) ?? Default;

    public static PlanCatalog Read(IConfiguration config, FeatureCatalog features)
    {
        var section = config.GetSection(Section);
        var entries = section.GetSection("Catalog").GetChildren().ToList();
        if (entries.Count == 0)
        {
            var only = new Plan("default", "Default", new Dictionary<string, bool>(), PlanLimits.None);
            return new PlanCatalog([only], only);
        }

        var plans = entries.Select(entry => ReadPlan(entry, features)).ToList();
        if (plans.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ConfigurationError($"{Section}:Catalog", $"the plan id '{twice.Key}' appears more than once.");
        }
        var defaultId = section["Default"];
        var fallback = string.IsNullOrWhiteSpace(defaultId)
            ? plans[0]
            : plans.FirstOrDefault(p => p.Id == defaultId)
              ?? throw new ConfigurationError($"{Section}:Default", $"'{defaultId}' is not the id of a plan in {Section}:Catalog ({string.Join(", ", plans.Select(p => p.Id))}).");
        return new PlanCatalog(plans, fallback);
    }

    private static Plan ReadPlan(IConfigurationSection entry, FeatureCatalog features)
    {
        var id = entry["Id"];
        if (id is null || !PlanId().IsMatch(id))
        {
            throw new ConfigurationError($"{entry.Path}:Id", $"'{id}' is not a plan id: use 1 to 40 lowercase letters, digits and dashes.");
        }
        var name = string.IsNullOrWhiteSpace(entry["Name"]) ? id : entry["Name"]!.Trim();

        var included = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var flag in entry.GetSection("Features").GetChildren())
        {
            if (features.Find(flag.Key) is null)
            {
                throw new ConfigurationError(flag.Path, $"no feature flag '{flag.Key}' is declared under feature_management ({string.Join(", ", features.All.Select(f => f.Name))}).");
            }
            included[flag.Key] = bool.TryParse(flag.Value, out var on)
                ? on
                : throw new ConfigurationError(flag.Path, $"must be true or false, not '{flag.Value}'.");
        }

        var limits = entry.GetSection("Limits");
        return new Plan(id, name, included, new PlanLimits(
            Limit(limits, nameof(PlanLimits.Members)),
            Limit(limits, nameof(PlanLimits.Projects)),
            Limit(limits, nameof(PlanLimits.ApiRequestsPerMinute)),
            Limit(limits, nameof(PlanLimits.AuditRetentionDays))));
    }

    /// <summary>A whole number from 1; absent or empty is unlimited.</summary>
    private static int? Limit(IConfigurationSection limits, string key)
    {
        var text = limits[key];
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxLimit
            ? value
            : throw new ConfigurationError($"{limits.Path}:{key}", $"must be a whole number from 1 to {MaxLimit}, or left out for no limit; not '{text}'.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex PlanId();
}
