using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SaasStarter.Template.Tests;

/// <summary>
/// The published app's <c>/openapi/v1.json</c> as reviewable text: indented, with readable characters, the server
/// address (a random port) scrubbed and the name variant's names mapped onto Acme, so every variant must match the
/// one <c>Snapshots/openapi.snap.txt</c> and any change to the public contract shows as a diff.
/// </summary>
public static class OpenApiSnapshot
{
    public const string Name = "openapi";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Build(Variant variant, string json)
    {
        var document = JsonNode.Parse(json)?.AsObject() ?? throw new Xunit.Sdk.XunitException("The OpenAPI document is not a JSON object.");
        if (document["servers"] is JsonArray servers)
        {
            foreach (var server in servers.OfType<JsonObject>()) server["url"] = "{server}";
        }
        var text = document.ToJsonString(Indented).Replace("\r\n", "\n") + "\n";
        return GeneratedFile.NormalizeName(variant, text);
    }
}
