using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SaasStarter.Template.Tests;

/// <summary>
/// The item templates in a generated app, the way a developer uses them: <c>dotnet new saas-module</c> and <c>dotnet new
/// saas-job</c> in the app's project folder, the printed lines added, both providers' migrations added with the app's
/// script, then a build with warnings as errors, the app's own tests (the new module's, the job's, and the four
/// route-discovering suites, which must cover the new routes with no edit), a published start and CRUD with a key.
/// </summary>
[Collection(TemplateCollection.Name)]
public sealed class ItemTemplateTests(TemplateFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] BadNames = ["1st", "class", "Projects", "Core", "invoices"];

    [Fact]
    public async Task Bad_module_and_job_names_fail_and_write_nothing()
    {
        var app = CopyOfGenerated("bad-names");
        var project = ProjectFolder(app);
        // Restored, as after a developer's first build: so the refusal below is the name's, not a project the engine cannot read.
        await Dotnet.RunCheckedAsync(app, Dotnet.BuildTimeout, output, "restore", Directory.GetFiles(app, "*.slnx").Single());
        var before = GeneratedFile.List(app);
        foreach (var name in BadNames)
        {
            var result = await NewAsync(project, "saas-module", "-n", name);
            Assert.False(result.Succeeded, $"saas-module -n {name} succeeded:\n{result.Tail()}");
            Assert.Contains("The module name is not valid", result.Output, StringComparison.Ordinal);
            Assert.Equal(before, GeneratedFile.List(app));
        }
        var job = await NewAsync(project, "saas-job", "-n", "nightly", "--module", "Projects");
        Assert.False(job.Succeeded, $"saas-job -n nightly succeeded:\n{job.Tail()}");
        Assert.Contains("The job name is not valid", job.Output, StringComparison.Ordinal);
        Assert.Equal(before, GeneratedFile.List(app));

        // A name that is taken: the engine refuses to overwrite, lists the files, and writes nothing.
        await NewCheckedAsync(project, "saas-module", "-n", "Invoices");
        var withInvoices = GeneratedFile.List(app);
        var again = await NewAsync(project, "saas-module", "-n", "Invoices", "--no-api");
        Assert.False(again.Succeeded, $"saas-module -n Invoices succeeded twice:\n{again.Tail()}");
        Assert.Contains("Overwrite", again.Output, StringComparison.Ordinal);
        Assert.Equal(withInvoices, GeneratedFile.List(app));
    }

    [Fact]
    public async Task A_generated_module_and_job_build_pass_the_apps_suites_and_serve_crud()
    {
        var started = DateTime.UtcNow;
        var app = CopyOfGenerated("items");
        var project = ProjectFolder(app);
        var solution = Directory.GetFiles(app, "*.slnx").Single();
        // The bind symbols read the project's evaluated properties: the app is built once, as a developer's would be.
        await Dotnet.RunCheckedAsync(app, Dotnet.BuildTimeout, output, "build", solution, "-c", "Release");

        var before = GeneratedFile.List(app);
        var module = await NewCheckedAsync(project, "saas-module", "-n", "Invoices", "--feature", "InvoiceExport", "--plan-limit");
        Assert.Contains($"using {RootNamespace(project)}.Invoices;", module.Output, StringComparison.Ordinal);
        Assert.Contains("builder.AddInvoices();", module.Output, StringComparison.Ordinal);
        Assert.Contains("app.MapInvoices();", module.Output, StringComparison.Ordinal);
        Assert.Contains("dotnet run scripts/add-migration.cs -- AddInvoices", module.Output, StringComparison.Ordinal);
        var pagesOnly = await NewCheckedAsync(project, "saas-module", "-n", "Notes", "--no-api");
        Assert.DoesNotContain("app.MapNotes();", pagesOnly.Output, StringComparison.Ordinal);
        var job = await NewCheckedAsync(project, "saas-job", "-n", "NightlyDigest", "--scope", "workspace", "--module", "Invoices");
        Assert.Contains("builder.AddNightlyDigest();", job.Output, StringComparison.Ordinal);
        Assert.Contains("AddInvoices in Invoices/InvoicesModule.cs", job.Output, StringComparison.Ordinal);

        var added = GeneratedFile.List(app).Except(before).ToList();
        Assert.Contains(added, f => f.EndsWith("/Invoices/InvoicesModule.cs", StringComparison.Ordinal));
        Assert.Contains(added, f => f.StartsWith("tests/", StringComparison.Ordinal) && f.EndsWith("/NightlyDigestTests.cs", StringComparison.Ordinal));

        // The printed lines, added as a developer would.
        var program = Path.Combine(project, "Program.cs");
        var text = await File.ReadAllTextAsync(program);
        text = Insert(text, "    builder.AddProjects();\n", "    builder.AddInvoices();\n    builder.AddNotes();\n");
        text = Insert(text, "    app.MapProjects();\n", "    app.MapInvoices();\n");
        text = $"using {RootNamespace(project)}.Invoices;\nusing {RootNamespace(project)}.Notes;\n" + text;
        await File.WriteAllTextAsync(program, text);
        var moduleFile = Path.Combine(project, "Invoices", "InvoicesModule.cs");
        var moduleText = await File.ReadAllTextAsync(moduleFile);
        var at = moduleText.IndexOf("        return builder;\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(moduleFile, moduleText.Insert(at, "        builder.AddNightlyDigest();\n"));

        await Dotnet.RunCheckedAsync(app, Dotnet.BuildTimeout, output, "tool", "restore");
        await Dotnet.RunCheckedAsync(app, Dotnet.BuildTimeout, output, "run", "scripts/add-migration.cs", "--", "AddInvoicesAndNotes");
        var postgresMigration = Directory.GetFiles(Path.Combine(project, "Migrations", "Postgres"), "*_AddInvoicesAndNotes.cs").Single();
        Assert.Contains("Invoices", await File.ReadAllTextAsync(postgresMigration), StringComparison.Ordinal);
        await Dotnet.RunCheckedAsync(app, Dotnet.BuildTimeout, output, "build", solution, "-c", "Release", "-warnaserror");

        var results = fixture.NewTempDirectory("items-tests");
        var filter = "FullyQualifiedName~.Invoices.|FullyQualifiedName~.Notes.|FullyQualifiedName~RouteIsolationTests|FullyQualifiedName~PagePermissionMatrixTests"
                     + "|FullyQualifiedName~ApiAuthMatrixTests|FullyQualifiedName~BadInputSweepTests|FullyQualifiedName~ModuleDependencyTests";
        var test = await Dotnet.RunAsync(app, Dotnet.TestTimeout, output, environment: null,
            "test", solution, "-c", "Release", "--no-build", "--filter", filter, "--logger", "trx", "--logger", "console;verbosity=detailed",
            "--results-directory", results);
        var run = GeneratedTestRun.Read(results);
        foreach (var p in run.Projects) output.WriteLine($"  {p}");
        Assert.True(test.Succeeded && run.Problem() is null, $"{run.Problem()}\n{test.Tail(200)}");
        // The suites found the new routes without an edit: the role matrix opened the pages, the sweep and the auth matrix the endpoints.
        Assert.Contains("GET /invoices/{id:guid}", test.Output, StringComparison.Ordinal);
        Assert.Contains("/notes/{id:guid}/delete", test.Output, StringComparison.Ordinal);
        Assert.Contains("/api/v1/invoices/{id}", test.Output, StringComparison.Ordinal);
        Assert.Contains("api/v1/invoices/{id:guid}", test.Output, StringComparison.Ordinal);

        await PublishStartAndCrudAsync(app, project);
        output.WriteLine($"item templates: {(DateTime.UtcNow - started).TotalSeconds:0}s");

        // Last, so a change of the output still runs everything above: the files the three commands wrote, reviewed as text.
        var tree = new SnapshotTree("items", app, added, text => text);
        var snapshot = FolderSnapshot.Build(
            "# in src/Acme: dotnet new saas-module -n Invoices --feature InvoiceExport --plan-limit; dotnet new saas-module -n Notes --no-api;\n"
            + "#   dotnet new saas-job -n NightlyDigest --scope workspace --module Invoices",
            tree, [tree], Scrubber.ForTemplate(fixture.RepoRoot));
        await snapshot.VerifyAsync(fixture.SnapshotDirectory, "items", output);
    }

    private async Task PublishStartAndCrudAsync(string app, string project)
    {
        var csproj = Directory.GetFiles(project, "*.csproj").Single();
        var published = fixture.NewTempDirectory("items-publish");
        await Dotnet.RunCheckedAsync(app, Dotnet.PublishTimeout, output, "publish", csproj, "-c", "Release", "-o", published);
        var port = PublishedApp.FreePort();
        var data = fixture.NewTempDirectory("items-data");
        var (email, password) = ("operator@example.com", $"tpl-{Guid.NewGuid():N}");
        var environment = PublishedApp.ProductionEnvironment(port, data, new Dictionary<string, string?>
        {
            ["Setup__AdminEmail"] = email, ["Setup__AdminPassword"] = password,
        });
        ContainerUser.Prepare(published, data);
        await using var running = PublishedApp.Start(Path.Combine(published, Path.GetFileNameWithoutExtension(csproj) + ".dll"), environment, port);
        await running.WaitForOkAsync("/health/ready", TimeSpan.FromMinutes(2));

        using var user = await AppOperator.SignInAsync(running.BaseAddress, email, password);
        var mine = await user.CreateWorkspaceAsync("Items one", $"items-{Guid.NewGuid():N}"[..20]);
        var theirs = await user.CreateWorkspaceAsync("Items two", $"other-{Guid.NewGuid():N}"[..20]);
        var key = await user.CreateApiKeyAsync(mine, "items", "invoices.read", "invoices.write");
        var otherKey = await user.CreateApiKeyAsync(theirs, "items", "invoices.read", "invoices.write");

        using var created = await SendAsync(running, key, HttpMethod.Post, "/api/v1/invoices", new { name = "First" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        using var read = await SendAsync(running, key, HttpMethod.Get, location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var replaced = await SendAsync(running, key, HttpMethod.Put, location, new { name = "Second" }, read.Headers.ETag!.Tag);
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (replaced.StatusCode, replaced.Headers.ETag?.Tag));
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
        {
            using var refused = await SendAsync(running, otherKey, method, location, method == HttpMethod.Put ? new { name = "Theirs" } : null);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using var deleted = await SendAsync(running, key, HttpMethod.Delete, location, null, "\"2\"");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(PublishedApp app, string key, HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return await app.Client.SendAsync(request);
    }

    private string CopyOfGenerated(string name)
    {
        var source = fixture.Generated(Variant.Sqlite).Directory;
        var target = fixture.NewTempDirectory(name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return target;
    }

    private static string ProjectFolder(string app) =>
        Directory.GetDirectories(Path.Combine(app, "src")).Single(d => File.Exists(Path.Combine(d, "Program.cs")));

    private static string RootNamespace(string project) => Path.GetFileName(project);

    private static string Insert(string text, string after, string lines)
    {
        var at = text.IndexOf(after, StringComparison.Ordinal);
        Assert.True(at >= 0, $"Program.cs has no '{after.Trim()}'");
        return text.Insert(at + after.Length, lines);
    }

    private Task<ProcessResult> NewAsync(string workingDirectory, params string[] args) =>
        Dotnet.RunAsync(workingDirectory, Dotnet.ShortTimeout, output, environment: null, ["new", .. args, "--debug:custom-hive", fixture.Hive]);

    private async Task<ProcessResult> NewCheckedAsync(string workingDirectory, params string[] args)
    {
        var result = await NewAsync(workingDirectory, args);
        Assert.True(result.Succeeded, $"{result.Describe()}\n{result.Tail()}");
        output.WriteLine(result.Output);
        return result;
    }
}
