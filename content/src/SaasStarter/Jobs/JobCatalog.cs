namespace SaasStarter.Jobs;

/// <summary>Every job the modules registered, by name.</summary>
public sealed class JobCatalog(IEnumerable<JobDefinition> definitions)
{
    public IReadOnlyList<JobDefinition> All { get; } = definitions.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    public JobDefinition? Find(string name) => All.FirstOrDefault(d => d.Name == name);
}
