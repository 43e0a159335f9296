namespace SaasStarter.Template.Tests;

/// <summary>
/// Every generated app records the template's package, version and every option it was generated with, in
/// .saas-starter.json: what scripts/upgrade.cs regenerates the app's starting point from.
/// </summary>
[Collection(TemplateCollection.Name)]
public sealed class RecordingTests(TemplateFixture fixture)
{
    [Fact]
    public void Template_json_records_the_nuspec_s_package_id_and_version()
    {
        var identity = TemplateIdentity.Read(fixture.RepoRoot);
        var (packageId, version) = TemplateIdentity.ReadRecordedConstants(fixture.RepoRoot);
        Assert.True(identity.Version == version,
            $"SaasStarter.nuspec says version {identity.Version}, template.json's TemplateVersion says {version}: a release sets both.");
        Assert.True(identity.PackageId == packageId,
            $"SaasStarter.nuspec says id {identity.PackageId}, template.json's TemplatePackageId says {packageId}.");
    }

    /// <summary>
    /// An option that is not recorded would be lost on upgrade: each parameter symbol in template.json needs a line under
    /// "options" in content/saas-starter.json and `"replaces": "recorded-option-&lt;name&gt;"` on the symbol.
    /// </summary>
    [Fact]
    public void Every_variant_records_the_package_the_version_and_every_option_as_given()
    {
        var identity = TemplateIdentity.Read(fixture.RepoRoot);
        foreach (var (variant, generated) in fixture.AllGenerated)
        {
            var recording = TemplateIdentity.ReadRecording(generated.Directory);
            Assert.Equal(identity.ShortName, (string?)recording["template"]);
            Assert.Equal(identity.PackageId, (string?)recording["package"]);
            Assert.Equal(identity.Version, (string?)recording["version"]);

            var recorded = recording["options"]!.AsObject().ToDictionary(option => option.Key, option => (string?)option.Value);
            var expected = identity.Parameters.ToDictionary(parameter => parameter.Key, parameter => parameter.Key switch
            {
                "name" => variant.Name,
                "db" => variant.Db ?? parameter.Value, // not given: the default it was generated with
                _ => parameter.Value,
            });
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), recorded.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }
}
