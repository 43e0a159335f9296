using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SaasStarter.Template.Tests;

/// <summary>
/// What the generated app's own test run did, read from the TRX file each test project writes. A generated app whose
/// tests are not discovered must not pass for one whose tests pass: every test project has to execute tests.
/// </summary>
public sealed partial record GeneratedTestRun(IReadOnlyList<GeneratedTestRun.Project> Projects)
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>One test project's counts. xunit marks a skipped test only as total minus executed.</summary>
    public sealed record Project(string Name, int Total, int Executed, int Passed, int Failed)
    {
        public int Skipped => Total - Executed;

        public override string ToString() => $"{Name}: {Executed} executed ({Passed} passed, {Failed} failed), {Skipped} skipped";
    }

    public static GeneratedTestRun Read(string resultsDirectory) =>
        new(Directory.Exists(resultsDirectory)
            ? Directory.GetFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(ReadProject).ToList()
            : []);

    /// <summary>Why this run does not count as tested, or null: no TRX at all, a project that executed nothing, a failure.</summary>
    public string? Problem()
    {
        if (Projects.Count == 0) return "the test run wrote no TRX file: no test project ran";
        var problems = Projects.Where(p => p.Executed == 0).Select(p => $"{p.Name} executed no test (none discovered?)")
            .Concat(Projects.Where(p => p.Failed > 0).Select(p => $"{p.Name} has {p.Failed} failed test(s)"))
            .ToList();
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static Project ReadProject(string trx)
    {
        var run = XDocument.Load(trx).Root!;
        var counters = run.Descendants(Trx + "Counters").Single();
        int Count(string name) => (int?)counters.Attribute(name) ?? 0;
        // The test assembly when tests ran, else the runner's "No test ... in <dll>" note, else the file.
        var name = run.Descendants(Trx + "TestMethod").Select(m => Path.GetFileName((string?)m.Attribute("codeBase"))).FirstOrDefault()
                   ?? run.Descendants(Trx + "Text").Select(t => NoTestIn().Match(t.Value)).Where(m => m.Success)
                       .Select(m => Path.GetFileName(m.Groups["dll"].Value)).FirstOrDefault()
                   ?? Path.GetFileName(trx);
        return new Project(name, Count("total"), Count("executed"), Count("passed"),
            Count("failed") + Count("error") + Count("timeout") + Count("aborted"));
    }

    /// <summary>"No test is available in X.dll." (none discovered) or "No test matches the given testcase filter `…` in X.dll".</summary>
    [GeneratedRegex(@"^No test .* in (?<dll>\S+\.dll)\b")]
    private static partial Regex NoTestIn();
}
