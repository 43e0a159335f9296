using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace SaasStarter.Template.Tests;

/// <summary>
/// What names and versions the package: the nuspec's id and version, and the template.json symbols that
/// write them into every generated app's .saas-starter.json (constants, since the engine cannot see the package).
/// </summary>
public sealed record TemplateIdentity(string PackageId, string Version, string ShortName, IReadOnlyDictionary<string, string?> Parameters)
{
    public const string RecordingFile = ".saas-starter.json";
    private const string VersionSymbol = "TemplateVersion";

    /// <summary>Reads the identity from a repo (or a copy of one).</summary>
    public static TemplateIdentity Read(string repoRoot)
    {
        var metadata = XDocument.Load(NuspecPath(repoRoot)).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Nuspec(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        var template = ReadTemplateJson(repoRoot);
        // Every `dotnet new` option: the parameter symbols and the built-in name; a default of null means none.
        var parameters = template["symbols"]!.AsObject()
            .Where(symbol => (string?)symbol.Value!["type"] == "parameter")
            .ToDictionary(symbol => symbol.Key, symbol => (string?)symbol.Value!["defaultValue"]);
        parameters["name"] = null;
        return new TemplateIdentity(Nuspec("id"), Nuspec("version"), (string)template["shortName"]!, parameters);
    }

    /// <summary>What template.json records as the package id and version (must equal the nuspec's).</summary>
    public static (string PackageId, string Version) ReadRecordedConstants(string repoRoot)
    {
        var symbols = ReadTemplateJson(repoRoot)["symbols"]!;
        return ((string)symbols["TemplatePackageId"]!["parameters"]!["value"]!, (string)symbols[VersionSymbol]!["parameters"]!["value"]!);
    }

    /// <summary>Sets the version in both places, as a release does.</summary>
    public static void SetVersion(string repoRoot, string version)
    {
        var nuspec = XDocument.Load(NuspecPath(repoRoot));
        nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value = version;
        nuspec.Save(NuspecPath(repoRoot));

        var template = ReadTemplateJson(repoRoot);
        template["symbols"]![VersionSymbol]!["parameters"]!["value"] = version;
        File.WriteAllText(TemplateJsonPath(repoRoot),
            template.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>A generated app's recording, as JSON.</summary>
    public static JsonObject ReadRecording(string app) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(app, RecordingFile)))!.AsObject();

    private static JsonObject ReadTemplateJson(string repoRoot) =>
        JsonNode.Parse(File.ReadAllText(TemplateJsonPath(repoRoot)))!.AsObject();

    private static string NuspecPath(string repoRoot) => Path.Combine(repoRoot, "SaasStarter.nuspec");

    private static string TemplateJsonPath(string repoRoot) => Path.Combine(repoRoot, ".template.config", "template.json");
}
