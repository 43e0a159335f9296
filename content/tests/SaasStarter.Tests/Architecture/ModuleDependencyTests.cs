namespace SaasStarter.Tests.Architecture;

/// <summary>
/// Dependencies between modules point one way. The platform modules are listed here with the modules each may use (the
/// README draws the same graph); any other module is a business module (Projects, or one from <c>dotnet new saas-module</c>)
/// and may use the platform modules a business module needs, never the other way round. Business modules may use each
/// other, without cycles. The graph is read from the compiled app, so a <c>using</c> nobody needs does not count, and a
/// type named in full does.
/// </summary>
public sealed class ModuleDependencyTests(ITestOutputHelper output)
{
    /// <summary>The platform, lowest first: each module and what it may use.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Platform = new Dictionary<string, string[]>
    {
        ["Core"] = [],
        ["Data"] = ["Core"],
        ["Hosting"] = ["Core", "Data"],
        ["Tenancy"] = ["Core", "Data", "Hosting"],
        ["Jobs"] = ["Core", "Data", "Hosting", "Tenancy"],
        ["Plans"] = ["Core", "Data", "Tenancy"],
        ["Features"] = ["Core", "Data", "Tenancy", "Plans"],
        ["Api"] = ["Core", "Data", "Hosting", "Tenancy", "Jobs", "Plans", "Features"],
        ["Audit"] = ["Core", "Data", "Hosting", "Tenancy", "Jobs", "Plans", "Api"],
        ["Email"] = ["Core", "Data", "Hosting", "Jobs"],
        ["Tenants"] = ["Core", "Data", "Hosting", "Tenancy", "Jobs", "Plans", "Features", "Api", "Audit"],
        ["Accounts"] = ["Core", "Data", "Hosting", "Tenancy", "Audit", "Email", "Tenants"],
        ["Members"] = ["Core", "Data", "Hosting", "Tenancy", "Jobs", "Plans", "Api", "Audit", "Email", "Accounts"],
        ["ApiKeys"] = ["Core", "Data", "Tenancy", "Features", "Api", "Audit"],
        ["Operator"] = ["Core", "Data", "Hosting", "Tenancy", "Jobs", "Plans", "Features", "Api", "Audit", "Accounts", "Tenants"],
        ["Pages"] = ["Core", "Data", "Hosting", "Tenancy", "Features", "Accounts", "Email"],
    };

    /// <summary>What a business module may use: the platform's services for tenants' data, pages, the API and jobs.</summary>
    public static readonly string[] BusinessMayUse =
        ["Core", "Data", "Hosting", "Tenancy", "Jobs", "Plans", "Features", "Api", "Audit", "Email", "Members"];

    private static readonly ModuleGraph Graph = new(typeof(Program).Assembly.Location, typeof(Program).Assembly.GetName().Name!);

    [Fact]
    public void Modules_use_only_the_modules_they_may()
    {
        foreach (var ((from, to), example) in Graph.Edges.OrderBy(e => e.Key)) output.WriteLine($"{from} -> {to}   ({example})");
        var broken = Graph.Edges
            .Where(e => e.Key.From != ModuleGraph.Composition && e.Key.To != ModuleGraph.Composition && !Allowed(e.Key.From, e.Key.To))
            .Select(e => $"{e.Key.From} may not use {e.Key.To}: {e.Value}")
            .ToList();
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Nothing_uses_the_composition_root() =>
        Assert.DoesNotContain(Graph.Edges, e => e.Key.To == ModuleGraph.Composition && e.Key.From != ModuleGraph.Composition);

    [Fact]
    public void Business_modules_do_not_depend_on_each_other_in_a_circle()
    {
        var business = Graph.Modules.Where(m => m != ModuleGraph.Composition && !Platform.ContainsKey(m)).ToList();
        Assert.Contains("Projects", business);
        foreach (var start in business)
        {
            var reached = new HashSet<string>();
            var next = new Stack<string>([start]);
            while (next.TryPop(out var module))
            {
                foreach (var to in Graph.Edges.Keys.Where(e => e.From == module && business.Contains(e.To)).Select(e => e.To))
                {
                    Assert.False(to == start, $"{start} depends on itself through other business modules");
                    if (reached.Add(to)) next.Push(to);
                }
            }
        }
    }

    [Fact]
    public void The_platform_graph_is_one_way()
    {
        // Each platform module may use only modules listed before it: the table is an order, so it has no cycle.
        var order = Platform.Keys.ToList();
        foreach (var (module, uses) in Platform)
        {
            Assert.All(uses, used => Assert.True(order.IndexOf(used) >= 0 && order.IndexOf(used) < order.IndexOf(module), $"{module} may use {used}, listed after it"));
        }
    }

    private static bool Allowed(string from, string to) =>
        Platform.TryGetValue(from, out var uses)
            ? uses.Contains(to)
            : !Platform.ContainsKey(to) || BusinessMayUse.Contains(to);
}
