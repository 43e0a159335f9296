using System.Text.RegularExpressions;

namespace SaasStarter.Audit;

/// <summary>
/// An action the audit log records, declared by the module that records it (<see cref="AuditDeclarations.AddAuditAction"/>):
/// its name as stored (<c>project.created</c>) and a label people read (the audit pages' filter).
/// </summary>
public sealed record AuditAction(string Name, string Label);

public static class AuditDeclarations
{
    public static WebApplicationBuilder AddAuditAction(this WebApplicationBuilder builder, string name, string label)
    {
        builder.Services.AddSingleton(new AuditAction(name, label));
        return builder;
    }
}

/// <summary>
/// Every action the modules declared: the audit pages offer them as a filter, the API accepts them as one, and the log
/// refuses to record an action nobody declared (a typo would otherwise become a second name for the same thing).
/// </summary>
public sealed partial class AuditActionCatalog
{
    private readonly Dictionary<string, AuditAction> byName;

    public AuditActionCatalog(IEnumerable<AuditAction> declared)
    {
        All = [.. declared.OrderBy(a => a.Name, StringComparer.Ordinal)];
        if (All.FirstOrDefault(a => !Shape().IsMatch(a.Name)) is { } odd)
        {
            throw new InvalidOperationException($"Audit action '{odd.Name}' is not named like 'thing.happened' (lowercase, a dot between).");
        }
        if (All.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Audit action '{twice.Key}' is declared twice.");
        }
        byName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<AuditAction> All { get; }

    public AuditAction? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>The label of <paramref name="name"/>, or the name itself for an action no longer declared (old events).</summary>
    public string LabelOf(string name) => Find(name)?.Label ?? name;

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex Shape();
}
