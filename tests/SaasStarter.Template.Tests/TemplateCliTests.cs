namespace SaasStarter.Template.Tests;

/// <summary>How `dotnet new saas-starter` talks to a user who gets an option wrong or asks for help.</summary>
[Collection(TemplateCollection.Name)]
public sealed class TemplateCliTests(TemplateFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Invalid_db_value_fails_and_names_the_valid_choices()
    {
        _ = fixture.PackagePath; // the template must be installed in the hive
        var target = fixture.NewTempDirectory("invalid-db");
        var result = await fixture.DotnetNewAsync(output, TemplateFixture.ShortName, "-n", "X", "--db", "oracle", "-o", target);

        output.WriteLine(result.Output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("oracle", result.Output);
        Assert.Contains("sqlite", result.Output);
        Assert.Contains("postgres", result.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task Help_describes_the_db_option_and_its_choices()
    {
        _ = fixture.PackagePath;
        var result = await fixture.DotnetNewAsync(output, TemplateFixture.ShortName, "--help");

        Assert.True(result.Succeeded, $"{result.Describe()}\n{result.Tail()}");
        Assert.Matches(@"-db\b", result.Output);
        Assert.Contains("sqlite", result.Output);
        Assert.Contains("postgres", result.Output);
        Assert.Contains("Default: sqlite", result.Output);
    }
}
