using System.Text.RegularExpressions;

namespace SaasStarter.Template.Tests;

/// <summary>What must hold in every generated file of every variant, whatever the snapshots say.</summary>
[Collection(TemplateCollection.Name)]
public sealed partial class GeneratedContentTests(TemplateFixture fixture)
{
    private static readonly HashSet<string> CSharpLike = new(StringComparer.OrdinalIgnoreCase) { ".cs", ".csx", ".cshtml", ".razor" };

    [Fact]
    public void No_generated_file_contains_a_template_directive()
    {
        var findings = new List<string>();
        foreach (var (variant, generated) in fixture.AllGenerated)
        {
            foreach (var file in generated.Files)
            {
                var path = generated.FullPath(file);
                if (GeneratedFile.IsBinary(path)) continue;
                // C# keeps its own #if DEBUG / #endif; everywhere else a bare #if/#endif line is the engine's.
                var csharp = CSharpLike.Contains(Path.GetExtension(file));
                var number = 0;
                foreach (var line in File.ReadLines(path))
                {
                    number++;
                    if (CommentedDirective().IsMatch(line) || ConditionDirective().IsMatch(line)
                        || (!csharp && BareDirective().IsMatch(line)))
                    {
                        findings.Add($"{variant.Id}: {file}:{number}: {line.Trim()}");
                    }
                }
            }
        }
        Assert.True(findings.Count == 0, "Template directives reached generated files:\n" + string.Join('\n', findings));
    }

    [Fact]
    public void Name_with_dots_dashes_and_digits_leaves_no_SaasStarter_behind()
    {
        var generated = fixture.Generated(Variant.DottedName);
        // The package id (SaasStarter.Templates) is the template's name, not a code name: .saas-starter.json records it.
        var packageId = TemplateIdentity.Read(fixture.RepoRoot).PackageId;
        var findings = new List<string>();
        foreach (var file in generated.Files)
        {
            if (SourceName().IsMatch(file)) findings.Add($"file name: {file}");
            var path = generated.FullPath(file);
            if (GeneratedFile.IsBinary(path)) continue;
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                // Upper case (SAASSTARTER_TEST_POSTGRES and friends) is not a form the engine renames, on purpose.
                if (SourceName().Matches(line.Replace(packageId, "", StringComparison.Ordinal)).Any(m => m.Value != m.Value.ToUpperInvariant()))
                {
                    findings.Add($"{file}:{number}: {line.Trim()}");
                }
            }
        }
        Assert.True(findings.Count == 0, "The source name survived in the `-n My.Shop-2` variant:\n" + string.Join('\n', findings));
    }

    /// <summary>
    /// Renaming must rename references too: a solution entry or ProjectReference that points at a path the
    /// engine wrote under another name form (My.Shop_2 vs My.Shop-2) breaks the build. Checked here in
    /// milliseconds, before any variant spends minutes building.
    /// </summary>
    [Fact]
    public void Every_project_path_in_solutions_and_project_references_exists()
    {
        var findings = new List<string>();
        foreach (var (variant, generated) in fixture.AllGenerated)
        {
            foreach (var file in generated.Files.Where(f => f.EndsWith(".slnx", StringComparison.Ordinal)
                         || f.EndsWith(".sln", StringComparison.Ordinal) || f.EndsWith("proj", StringComparison.Ordinal)))
            {
                var path = generated.FullPath(file);
                var folder = Path.GetDirectoryName(path)!;
                foreach (Match match in ProjectPath().Matches(File.ReadAllText(path)))
                {
                    var target = match.Groups["path"].Value.Replace('\\', '/');
                    if (!File.Exists(Path.GetFullPath(target, folder)))
                    {
                        findings.Add($"{variant.Id}: {file} points at {target}, which was not generated");
                    }
                }
            }
        }
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    /// <summary>Path="x.csproj" (slnx), "x.csproj" (sln), Include="x.csproj" (ProjectReference).</summary>
    [GeneratedRegex(@"""(?<path>[^""<>]+\.(?:cs|fs|vb|sql)proj)""")]
    private static partial Regex ProjectPath();

    /// <summary>//#if, ////#if, <!--#if, @*#if, /*#if, #if in a # comment, and their #else/#elif/#endif.</summary>
    [GeneratedRegex(@"(?://|<!--|@\*|/\*|#|--)\s*#(?:if|elif|elseif|else|endif)\b")]
    private static partial Regex CommentedDirective();

    /// <summary>The engine's condition form `#if (UsePostgres)`: real C# never needs the parentheses.</summary>
    [GeneratedRegex(@"#(?:el)?if\s*\(")]
    private static partial Regex ConditionDirective();

    [GeneratedRegex(@"^\s*#(?:if|elif|elseif|else|endif)\b")]
    private static partial Regex BareDirective();

    [GeneratedRegex("saasstarter", RegexOptions.IgnoreCase)]
    private static partial Regex SourceName();
}
