using System.Globalization;
using System.Text.RegularExpressions;
using SaasStarter.Core;

namespace SaasStarter.Plans;

/// <summary>
/// The plans from configuration, read and checked once at start-up: <c>Plans:Default</c> (the plan of a tenant that has
/// none assigned) and <c>Plans:Catalog</c>, an array in the order the pages list them. A mistake (a limit no module
/// declares, a duplicate id, a limit below 1) stops the app with one line naming the setting; the features module checks
/// the flags plans name. Without a <c>Plans</c> section there is one plan, "default", with no limits, that leaves every
/// flag to its configured default.
/// </summary>
public sealed partial class PlanCatalog
{
    public const string Section = "Plans";
    private const int MaxLimit = 100_000_000;

    public PlanCatalog(IConfiguration config, IEnumerable<PlanLimit> declared)
    {
        Limits = [.. declared];
        if (Limits.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"The plan limit '{twice.Key}' is declared twice.");
        }

        var section = config.GetSection(Section);
        var entries = section.GetSection("Catalog").GetChildren().ToList();
        if (entries.Count == 0)
        {
            var only = new Plan("default", "Default", new Dictionary<string, bool>(), new Dictionary<string, int>());
            (All, Default) = ([only], only);
            return;
        }

        All = [.. entries.Select(ReadPlan)];
        if (All.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1) is { } same)
        {
            throw new ConfigurationError($"{Section}:Catalog", $"the plan id '{same.Key}' appears more than once.");
        }
        var defaultId = section["Default"];
        Default = string.IsNullOrWhiteSpace(defaultId)
            ? All[0]
            : All.FirstOrDefault(p => p.Id == defaultId)
              ?? throw new ConfigurationError($"{Section}:Default", $"'{defaultId}' is not the id of a plan in {Section}:Catalog ({string.Join(", ", All.Select(p => p.Id))}).");
    }

    /// <summary>In configuration order: the index of a plan here is its index under <c>Plans:Catalog</c>.</summary>
    public IReadOnlyList<Plan> All { get; }

    public Plan Default { get; }

    /// <summary>The limits the modules declared, in the order they declared them.</summary>
    public IReadOnlyList<PlanLimit> Limits { get; }

    public PlanLimit? FindLimit(string name) => Limits.FirstOrDefault(l => l.Name == name);

    /// <summary>The plan named <paramref name="id"/>, or null when no plan has that id.</summary>
    public Plan? Find(string? id) => id is null ? null : All.FirstOrDefault(p => p.Id == id);

    /// <summary>A tenant's plan: its own, or <see cref="Default"/> when it has none (or one since removed from configuration).</summary>
    public Plan Of(string? id) => Find(id) ?? Default;

    private Plan ReadPlan(IConfigurationSection entry)
    {
        var id = entry["Id"];
        if (id is null || !PlanId().IsMatch(id))
        {
            throw new ConfigurationError($"{entry.Path}:Id", $"'{id}' is not a plan id: use 1 to 40 lowercase letters, digits and dashes.");
        }
        var name = string.IsNullOrWhiteSpace(entry["Name"]) ? id : entry["Name"]!.Trim();

        var features = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var flag in entry.GetSection("Features").GetChildren())
        {
            features[flag.Key] = bool.TryParse(flag.Value, out var on)
                ? on
                : throw new ConfigurationError(flag.Path, $"must be true or false, not '{flag.Value}'.");
        }

        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var limit in entry.GetSection("Limits").GetChildren())
        {
            if (FindLimit(limit.Key) is null)
            {
                throw new ConfigurationError(limit.Path, $"no module declares a plan limit '{limit.Key}' ({string.Join(", ", Limits.Select(l => l.Name))}).");
            }
            if (Limit(limit) is { } value) limits[limit.Key] = value;
        }
        return new Plan(id, name, features, limits);
    }

    /// <summary>A whole number from 1; empty is unlimited.</summary>
    private static int? Limit(IConfigurationSection limit)
    {
        if (string.IsNullOrWhiteSpace(limit.Value)) return null;
        return int.TryParse(limit.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxLimit
            ? value
            : throw new ConfigurationError(limit.Path, $"must be a whole number from 1 to {MaxLimit}, or left out for no limit; not '{limit.Value}'.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex PlanId();
}
